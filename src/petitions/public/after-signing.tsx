import { Button, ErrorSummary, Form, Layout, TextInput, type FieldErrors, type FormValues } from '../../platform/index.ts';
import type { PlaceTally } from '../petition-breakdown.ts';
import type { Petition } from '../store.ts';
import { MAX_EMAILS_PER_SIGNATURE } from '../signature-writer.ts';
import { ConstituencyLine } from './constituency-line.tsx';
import { CountAndProgress } from './count-and-progress.tsx';
import { ShareBlock } from './share-block.tsx';

/** What the thank-you page says, by what happened to the signature (a hold is never revealed). */
export const thankYouOutcomes = ['signed', 'resent', 'already-signed', 'email-limit'] as const;
export type ThankYouOutcome = (typeof thankYouOutcomes)[number];

const messages: Record<ThankYouOutcome, { title: string; lines: string[] }> = {
  signed: {
    title: 'Now check your email',
    lines: [
      'We’ve sent you an email with a link to confirm your signature.',
      'Your signature only counts once you click that link. If the email has not arrived in a few minutes, check your spam or junk folder.',
    ],
  },
  resent: {
    title: 'You’ve already signed: we’ve sent the email again',
    lines: [
      'You signed this petition before but have not confirmed your signature yet, so we’ve sent the confirmation email again.',
      'Click the link in it to make your signature count. You are only ever counted once.',
    ],
  },
  'already-signed': {
    title: 'You’ve already signed this petition',
    lines: ['Your signature is confirmed and counted once. Thank you.'],
  },
  'email-limit': {
    title: 'You’ve already signed: check your inbox',
    lines: [
      `We have already sent the confirmation email ${MAX_EMAILS_PER_SIGNATURE} times, so we won’t send it again.`,
      'Look for an earlier email from us (check spam or junk too) and click the link in it. Your signature counts only once you do.',
    ],
  },
};

export function ThankYouPage({ petition, outcome, tally, baseUrl }: { petition: Petition; outcome: ThankYouOutcome; tally: PlaceTally | undefined; baseUrl: string }) {
  const message = messages[outcome];
  return (
    <Layout title={`${message.title}: ${petition.action}`} breadcrumbs={[{ href: petition.path, label: petition.action }]} scripts={['petition.js']}>
      <div class="panel panel--confirmation">
        <h1 class="panel__title">{message.title}</h1>
        <p class="panel__body">{petition.action}</p>
      </div>
      {message.lines.map((line) => (
        <p>{line}</p>
      ))}
      <ConstituencyLine tally={tally} />
      <ShareBlock petition={petition} baseUrl={baseUrl} />
      <p>
        <a href={petition.path}>Back to the petition</a>
      </p>
    </Layout>
  );
}

/** The page the email link opens: one button confirms (a POST), so a link scanner that opens the link confirms nothing. */
export function ConfirmSignaturePage({ publicId, token }: { publicId: string; token: string }) {
  return (
    <Layout title="Confirm your signature">
      <h1>Confirm your signature</h1>
      <p class="lead">One more step: press the button to add your name to the petition.</p>
      <Form action={`/signatures/${publicId}/confirm`} csrf={false}>
        <input type="hidden" name="token" value={token} />
        <Button>Confirm my signature</Button>
      </Form>
    </Layout>
  );
}

export function ConfirmedPage({ petition, tally, baseUrl }: { petition: Petition; tally: PlaceTally | undefined; baseUrl: string }) {
  return (
    <Layout title={`Signature confirmed: ${petition.action}`} breadcrumbs={[{ href: petition.path, label: petition.action }]} scripts={['petition.js']}>
      <div class="panel panel--confirmation">
        <h1 class="panel__title">Thank you: your signature is confirmed</h1>
        <p class="panel__body">{petition.action}</p>
      </div>
      <p>Your signature will be added to the count within a few seconds.</p>
      <CountAndProgress petition={petition} />
      <ConstituencyLine tally={tally} />
      <ShareBlock petition={petition} baseUrl={baseUrl} />
      <p>
        <a href={petition.path}>Back to the petition</a>
      </p>
    </Layout>
  );
}

/** Mastodon has no central site: ask which server, then go to its share page (no JavaScript needed). */
export function MastodonSharePage({ petition, values, errors }: { petition: Petition; values?: FormValues; errors?: FieldErrors }) {
  const hasErrors = Object.keys(errors ?? {}).length > 0;
  return (
    <Layout title={`${hasErrors ? 'Error: ' : ''}Share on Mastodon: ${petition.action}`} breadcrumbs={[{ href: petition.path, label: petition.action }]}>
      <ErrorSummary errors={errors} />
      <h1>Share on Mastodon</h1>
      <p>We’ll take you to your Mastodon server with a post about “{petition.action}” ready for you to check and send.</p>
      <Form action={`/petitions/${petition.id}/share/mastodon`} method="get">
        <TextInput
          name="instance"
          label="Your Mastodon server"
          hint="The part after the second @ in your handle, for example mastodon.social"
          values={values}
          errors={errors}
          width="20"
          spellcheck={false}
        />
        <Button>Continue to Mastodon</Button>
      </Form>
    </Layout>
  );
}
