import { Button, ErrorSummary, Form, Layout, Select, TextArea, TextInput, type FieldErrors, type FormValues } from '../../../platform/index.ts';
import type { Choice } from '../access.ts';
import { knownList } from '../placeholders.ts';
import type { Mailing } from '../store.ts';
import { mailingCrumbs, mailingsCrumb } from './labels.tsx';

export interface MailingFormProps {
  mailing?: Mailing;
  purposes: Choice[];
  segments: Choice[];
  maxRate: number;
  /** Admins only: the speed protects the coalition's mail server. */
  canSetSpeed: boolean;
  errors?: FieldErrors;
  values?: FormValues;
}

export function formValuesOf(m: Mailing): FormValues {
  return {
    purpose_id: String(m.purposeId),
    segment_id: m.segmentId === null ? '' : String(m.segmentId),
    subject: m.subject,
    body: m.body,
    rate_per_second: String(m.ratePerSecond),
  };
}

export function MailingFormPage({ mailing, purposes, segments, maxRate, canSetSpeed, errors, values }: MailingFormProps) {
  const title = mailing ? 'Change the mailing' : 'Write a mailing';
  const shown = values ?? (mailing ? formValuesOf(mailing) : { rate_per_second: String(maxRate) });
  return (
    <Layout title={title} breadcrumbs={mailing ? mailingCrumbs(mailing) : [mailingsCrumb]}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <Form action={mailing ? `/admin/mailings/${mailing.id}` : '/admin/mailings'}>
        <Select
          name="purpose_id"
          label="From"
          hint="Only people who agreed to hear from this group (or the coalition) will get it."
          placeholder={purposes.length === 1 ? undefined : 'Choose who it is from'}
          options={purposes.map((p) => ({ value: String(p.id), label: p.name }))}
          errors={errors}
          values={shown}
        />
        <Select
          name="segment_id"
          label="To"
          hint="A saved segment, or everyone who agreed to hear from the sender."
          options={[{ value: '', label: 'Everyone who agreed to hear from the sender' }, ...segments.map((s) => ({ value: String(s.id), label: `Segment: ${s.name}` }))]}
          errors={errors}
          values={shown}
        />
        <TextInput name="subject" label="Subject" maxLength={200} errors={errors} values={shown} />
        <TextArea
          name="body"
          label="Message"
          rows={16}
          hint={
            <>
              <p>
                Blank lines separate paragraphs. <code>**bold**</code>, <code>*italic*</code>, <code># Heading</code>, lines starting <code>- </code> for a
                list, and links as <code>[words](https://example.org)</code>. Links are counted when people click them.
              </p>
              <p>
                Personal details: {knownList()}. Add what to write when we do not know it after a bar: <code>{'{{first_name|friend}}'}</code>.
              </p>
            </>
          }
          errors={errors}
          values={shown}
        />
        {canSetSpeed ? (
          <TextInput
            name="rate_per_second"
            label="Sending speed (messages a second)"
            hint={`Up to ${maxRate}. Slower sending is kinder to small mail servers.`}
            width="5"
            inputmode="numeric"
            errors={errors}
            values={shown}
          />
        ) : null}
        <Button>Save draft</Button>
      </Form>
    </Layout>
  );
}
