import { Button, ErrorSummary, Form, Layout, Notice, TextInput, type FieldErrors, type FormValues, type OutgoingMessage } from '../../../platform/index.ts';
import type { Mailing } from '../store.ts';
import { mailingCrumbs } from './labels.tsx';
import { readableSubject } from '../placeholders.ts';

export interface PreviewPageProps {
  mailing: Mailing;
  message: OutgoingMessage;
  /** The email of the person shown, or undefined when nobody is in the audience yet. */
  shownAs: string | undefined;
  asValues?: FormValues;
  asErrors?: FieldErrors;
  testValues: FormValues;
  testErrors?: FieldErrors;
  notice?: { kind: 'success' | 'warning'; text: string } | undefined;
}

export function PreviewPage({ mailing, message, shownAs, asValues, asErrors, testValues, testErrors, notice }: PreviewPageProps) {
  const query = shownAs ? `?as=${encodeURIComponent(shownAs)}` : '';
  const errors = { ...asErrors, ...testErrors };
  return (
    <Layout title={`Preview: ${readableSubject(mailing.subject)}`} breadcrumbs={mailingCrumbs(mailing)} wide>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
      <ErrorSummary errors={Object.keys(errors).length ? errors : undefined} />
      <h1>Preview</h1>
      <p>
        {shownAs
          ? `As ${shownAs} will get it. Links here go straight to their pages; in the real mailing they are counted when clicked.`
          : 'Nobody is in the audience yet, so this shows what we write when we know nothing about a person.'}
      </p>
      <Form action={`/admin/mailings/${mailing.id}/preview`} method="get" class="mailing-preview-as">
        <TextInput
          name="as"
          label="Preview as"
          hint="The email address of someone who would get this mailing"
          type="email"
          spellcheck={false}
          errors={asErrors}
          values={asValues ?? { as: shownAs ?? '' }}
        />
        <Button variant="secondary">Show</Button>
      </Form>
      <h2>Subject</h2>
      <p class="mailing-subject">{message.subject}</p>
      <h2>HTML version</h2>
      <iframe class="mail-preview" title="HTML version of the message" src={`/admin/mailings/${mailing.id}/preview.html${query}`} sandbox="" />
      <h2>Text version</h2>
      <pre class="mail-text">{message.text}</pre>
      <h2 id="test-title">Send a test</h2>
      <Form action={`/admin/mailings/${mailing.id}/test${query}`}>
        <TextInput name="to" label="Send a test to" hint="We send it now, marked [Test], with links that do not count" type="email" autocomplete="email" spellcheck={false} errors={testErrors} values={testValues} />
        <Button variant="secondary">Send test</Button>
      </Form>
    </Layout>
  );
}
