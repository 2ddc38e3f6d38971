import { Button, ChoiceGroup, ErrorSummary, Form, Layout, Notice, TextArea, TextInput, andList, formatCalendarDate, type FieldErrors, type FormValues, type ShareLink } from '../../platform/index.ts';
import { campaignPath, type LetterCampaign } from './campaigns.ts';
import { BODY_MAX } from './letter-form.ts';
import { SHORT_LETTER_CHARS } from './similarity.ts';
import type { Letter } from './store.ts';
import type { HeldReason } from './tables.ts';

export function CampaignsPage({ campaigns }: { campaigns: LetterCampaign[] }) {
  return (
    <Layout title="Write to your MP">
      <h1>Write to your MP</h1>
      <p>A letter in your own words counts for more than any petition: MPs read them, and most reply.</p>
      {campaigns.length === 0 ? (
        <p>There are no letter campaigns open just now.</p>
      ) : (
        <ul class="list">
          {campaigns.map((c) => (
            <li>
              <h2>
                <a href={campaignPath(c)}>{c.title}</a>
              </h2>
              <p>Letters taken until {formatCalendarDate(c.deadline)}.</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function TalkingPoints({ campaign }: { campaign: LetterCampaign }) {
  return (
    <aside class="letter-points" aria-labelledby="points-heading">
      <h2 id="points-heading">Points you could make</h2>
      <p>Say them your own way, and say why they matter to you: letters copied from others are held back.</p>
      <ul>
        {campaign.talkingPoints.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
    </aside>
  );
}

const deliveryOptions = [
  { value: 'email', label: 'Email it to my MP for me', hint: 'It goes from this site in your name; your MP replies to your email address.' },
  { value: 'post', label: 'I will print and post it', hint: 'You get a printable letter (PDF) addressed to your MP at the House of Commons.' },
];

export function CampaignPage(props: { campaign: LetterCampaign; values: FormValues; errors?: FieldErrors | undefined; closed: boolean; targets: string }) {
  const { campaign, values, errors } = props;
  return (
    <Layout title={errors ? `Error: ${campaign.title}` : campaign.title}>
      <h1>{campaign.title}</h1>
      {campaign.about.split(/\n{2,}/).map((p) => (
        <p>{p}</p>
      ))}
      <p>
        Letters go to {props.targets}. Taken until {formatCalendarDate(campaign.deadline)}.
      </p>
      {props.closed ? (
        <Notice kind="info">This campaign has closed: it no longer takes letters.</Notice>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <Form action={`${campaignPath(campaign)}/letters`} class="letter-form">
            <h2>About you</h2>
            <TextInput name="name" label="Your name" autocomplete="name" values={values} errors={errors} />
            <TextInput name="email" type="email" label="Your email address" hint="We email you a link to confirm it; your MP replies to it." autocomplete="email" spellcheck={false} values={values} errors={errors} />
            <TextArea name="address" label="Your address" hint="Your MP needs it to know you live in their constituency. Do not include your postcode here." rows={3} values={values} errors={errors} />
            <TextInput name="postcode" label="Your postcode" hint="We find your MP from it." autocomplete="postal-code" width="10" values={values} errors={errors} />
            <ChoiceGroup type="radio" name="delivery" legend="How should your letter reach your MP?" options={deliveryOptions} selected={[values.delivery ?? 'email']} errors={errors} />
            <h2>Your letter</h2>
            <div class="letter-writing">
              <TextArea
                name="body"
                label="Write your letter"
                hint={`In your own words, from “Dear …” to your name. At least a few sentences (${SHORT_LETTER_CHARS} characters or more), up to ${BODY_MAX.toLocaleString('en-GB')}.`}
                rows={16}
                maxLength={BODY_MAX}
                values={values}
                errors={errors}
              />
              <TalkingPoints campaign={campaign} />
            </div>
            <Button>Send my letter</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

export const heldWords: Record<HeldReason, string> = {
  similar: 'Your letter is very like a letter someone else has already sent in this campaign. MPs give less weight to letters that read alike, so we have held it back.',
  short: 'Your letter is very short. MPs give more weight to a letter that says in your own words why this matters to you, so we have held it back.',
};

export interface LetterPageProps {
  letter: Letter;
  letters: Letter[];
  campaign: LetterCampaign;
  pdfHref: string;
  rewriteAction: string;
  share: ShareLink[] | undefined;
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
  notice?: string | undefined;
}

export function LetterPage(props: LetterPageProps) {
  const { letter, campaign, errors } = props;
  const mps = andList(props.letters.map((l) => l.mpName));
  const delivered = props.letters.every((l) => l.deliveredAt);
  return (
    <Layout title={errors ? `Error: Your letter to ${mps}` : `Your letter to ${mps}`}>
      <h1>Your letter to {mps}</h1>
      <p>
        For “<a href={campaignPath(campaign)}>{campaign.title}</a>”.
      </p>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      {letter.state === 'held' ? (
        <>
          <Notice kind="warning">
            <p>{heldWords[letter.heldReason ?? 'similar']}</p>
            <p>Please make it your own: rewrite it below and send it again. If you leave it as it is, an organiser will read it and decide whether it goes.</p>
          </Notice>
          <ErrorSummary errors={errors} />
          <Form action={props.rewriteAction}>
            <TextArea name="body" label="Rewrite your letter" hint="Say why this matters to you, in your own words." rows={16} maxLength={BODY_MAX} values={props.values} value={props.values?.body ?? letter.body ?? ''} errors={errors} />
            <Button>Send my rewritten letter</Button>
          </Form>
          <h2>Points you could make</h2>
          <ul>
            {campaign.talkingPoints.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </>
      ) : letter.state === 'rejected' ? (
        <p>An organiser read your letter and decided not to send it.</p>
      ) : letter.confirmedAt === null ? (
        <Notice kind="info">
          <p>
            <strong>Check your email.</strong> We have sent you a link: your letter goes to {mps} once you confirm your email address.
          </p>
        </Notice>
      ) : delivered ? (
        <>
          {letter.delivery === 'email' ? (
            <p>Your letter has been sent to {mps} by email. Replies come to your email address.</p>
          ) : (
            <>
              <p>Your letter is ready to print and post to {mps} at the House of Commons, London SW1A 0AA. A stamp is all it needs.</p>
              <p>
                <a class="button button--primary" href={props.pdfHref}>
                  Download your letter to print (PDF)
                </a>
              </p>
            </>
          )}
          {props.share ? <PostToYourMp links={props.share} /> : null}
        </>
      ) : (
        <p>Your email is confirmed: your letter is on its way to {mps}.</p>
      )}
      {letter.body ? (
        <details class="details">
          <summary class="details__summary">What you wrote</summary>
          <div class="details__text">
            {letter.body.split(/\n{2,}/).map((p) => (
              <p>{p}</p>
            ))}
          </div>
        </details>
      ) : null}
    </Layout>
  );
}

function PostToYourMp({ links }: { links: ShareLink[] }) {
  return (
    <section class="share" aria-labelledby="post-heading">
      <h2 id="post-heading">Post to your MP</h2>
      <p>Tell your MP in public that you have written: others see it, and it is harder to ignore. The words are ready for you to change.</p>
      <ul class="share__links">
        {links.map((link) => (
          <li>
            <a class={`share__link share__link--${link.channel}`} href={link.href} rel={link.external ? 'noopener noreferrer' : undefined}>
              {link.label}
              <span class="visually-hidden"> (post about your letter)</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ConfirmPage({ action, mps }: { action: string; mps: string }) {
  return (
    <Layout title="Confirm your letter">
      <h1>Confirm your letter</h1>
      <p>Confirm that this is your email address and your letter goes to {mps}.</p>
      <Form action={action}>
        <Button>Confirm and send my letter</Button>
      </Form>
    </Layout>
  );
}

export function QuestionnairePage(props: { letter: Letter; action: string; values: FormValues; errors?: FieldErrors | undefined; answered: boolean }) {
  const { letter, values, errors } = props;
  return (
    <Layout title={errors ? `Error: Did ${letter.mpName} reply?` : `Did ${letter.mpName} reply?`}>
      <h1>Did {letter.mpName} reply?</h1>
      {props.answered ? <Notice>Thank you: your answers are saved. You can change them here.</Notice> : null}
      <ErrorSummary errors={errors} />
      <Form action={props.action}>
        <ChoiceGroup type="radio" name="got_reply" legend={`Have you had a reply from ${letter.mpName}?`} options={[{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No, not yet' }]} selected={values.got_reply ? [values.got_reply] : []} errors={errors} />
        <ChoiceGroup
          type="radio"
          name="form_letter"
          legend="If you had a reply: was it a form letter?"
          hint="The same words sent to everyone who wrote, rather than an answer to what you said."
          options={[{ value: 'yes', label: 'Yes, a form letter' }, { value: 'no', label: 'No, it answered my letter' }, { value: 'unsure', label: 'Not sure' }]}
          selected={values.form_letter ? [values.form_letter] : []}
          errors={errors}
        />
        <TextInput name="reply_days" label="If you had a reply: about how many days after you wrote did it come? (optional)" inputmode="numeric" width="5" values={values} errors={errors} />
        <Button>Save my answers</Button>
      </Form>
    </Layout>
  );
}

export function MastodonPage({ action, values, errors }: { action: string; values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <Layout title={errors ? 'Error: Post on Mastodon' : 'Post on Mastodon'}>
      <h1>Post on Mastodon</h1>
      <ErrorSummary errors={errors} />
      <Form action={action} method="get" csrf={false}>
        <TextInput name="server" label="Your Mastodon server" hint="Like mastodon.social, or your handle like @you@mas.to" spellcheck={false} values={values} errors={errors} />
        <Button>Go to my server</Button>
      </Form>
    </Layout>
  );
}
