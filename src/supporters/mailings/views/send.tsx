import { Button, ChoiceGroup, ErrorSummary, Form, Layout, TextInput, formatLondon, formatNumber, type FieldErrors, type FormValues } from '../../../platform/index.ts';
import type { Mailing } from '../store.ts';
import { audienceText, mailingCrumbs } from './labels.tsx';
import { readableSubject } from '../placeholders.ts';

export function SendForm({ mailing, errors, values }: { mailing: Mailing; errors?: FieldErrors; values?: FormValues }) {
  return (
    <Layout title={`Send: ${readableSubject(mailing.subject)}`} breadcrumbs={mailingCrumbs(mailing)}>
      <ErrorSummary errors={errors} />
      <h1>Send or schedule</h1>
      <p>{audienceText(mailing)}.</p>
      <Form action={`/admin/mailings/${mailing.id}/send`}>
        <ChoiceGroup
          type="radio"
          name="when"
          legend="When should it go?"
          options={[
            { value: 'now', label: 'Now' },
            { value: 'later', label: 'At a time I choose' },
          ]}
          selected={values?.when ? [values.when] : []}
          errors={errors}
        />
        <TextInput
          name="send_at"
          label="Date and time (UK time)"
          hint="Only if you chose a time. For example 2026-12-01 10:00"
          type="datetime-local"
          errors={errors}
          values={values}
        />
        <Button>Continue</Button>
      </Form>
    </Layout>
  );
}

export interface ConfirmProps {
  mailing: Mailing;
  count: number;
  at: Date | undefined;
  sendAt: string;
}

/** The confirmation step: says exactly how many people it goes to, and when. */
export function ConfirmSend({ mailing, count, at, sendAt }: ConfirmProps) {
  const people = `${formatNumber(count)} ${count === 1 ? 'person' : 'people'}`;
  return (
    <Layout title={`Confirm: ${readableSubject(mailing.subject)}`} breadcrumbs={mailingCrumbs(mailing)}>
      <h1>{at ? 'Schedule this mailing?' : 'Send this mailing now?'}</h1>
      <p>
        “{readableSubject(mailing.subject)}” from {mailing.purposeName} {at ? 'would go' : 'will go'} to <strong data-recipient-count={count}>{people}</strong>{' '}
        {at ? `if the audience is the same on ${formatLondon(at, 'full')} (UK time)` : 'now'}: {audienceText(mailing).toLowerCase()}, with a
        deliverable address.
      </p>
      {count === 0 && !at ? (
        <p>Nobody would get it. Choose another segment, or wait until people have agreed to hear from the sender.</p>
      ) : (
        <Form action={`/admin/mailings/${mailing.id}/send`}>
          <input type="hidden" name="when" value={at ? 'later' : 'now'} />
          <input type="hidden" name="send_at" value={sendAt} />
          <input type="hidden" name="confirmed" value={String(count)} />
          <Button variant={at ? 'primary' : 'warning'}>{at ? 'Schedule it' : `Send to ${people} now`}</Button>
        </Form>
      )}
      <p>
        <a href={`/admin/mailings/${mailing.id}`}>Cancel</a>
      </p>
    </Layout>
  );
}
