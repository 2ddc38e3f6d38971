import type { ComponentChildren } from 'preact';
import type { Group } from '../../coalition/index.ts';
import { Button, Checkbox, ChoiceGroup, EmbedLayout, ErrorSummary, FileInput, Form, Layout, Select, TextArea, TextInput, andList, formatLondon, usePage, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { PHOTO_FIELDS, PHOTO_MAX_BYTES } from '../story-photos.ts';
import { STORY_USES, STORY_WORDS_MAX, consentWording, guardianWording, happenedWhenOptions, identifyAsOptions, renewalWording } from '../story-form.ts';
import type { StoryState } from '../tables.ts';

export interface TellFormProps {
  action: string;
  groups: readonly Group[];
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
  embed?: boolean;
  /** An organiser recording a story taken by phone or on paper. */
  recording?: boolean;
  /** How many photos came with a form sent back with problems (a browser cannot keep them: they must be chosen again). */
  photosSent?: number;
  /** The NHS trusts and ICBs to choose from (politics' shipped list), offered as the field's choices. */
  nhsBodies?: readonly string[] | undefined;
}

const ticked = (values: FormValues, name: string) => values[name] !== undefined && values[name] !== '';

/** The story form's fields: the story, where and when, the teller, how they may be named, and one consent box per use. */
export function StoryFormFields({ action, groups, values = {}, errors, recording = false, photosSent = 0, nhsBodies = [] }: TellFormProps) {
  const { brand } = usePage();
  const controllers = [brand.name, ...groups.map((g) => g.name)];
  const you = recording ? 'the storyteller' : 'you';
  return (
    <Form action={action} csrf={recording} multipart class="story-form" id="story-form">
      {groups.map((g) => (
        <input type="hidden" name="groups" value={String(g.id)} />
      ))}
      {recording ? (
        <ChoiceGroup type="radio" name="method" legend="How did you take this story?" options={[{ value: 'phone', label: 'By phone' }, { value: 'paper', label: 'On a paper form' }]} selected={typeof values.method === 'string' ? [values.method] : []} errors={errors} />
      ) : null}
      <TextArea name="story" label={recording ? 'Their story' : 'Your story'} hint={`Up to ${STORY_WORDS_MAX} words. Please leave out the names of staff and other patients.`} rows={10} values={values} errors={errors} />
      <TextInput name="service" label="The service or place it is about" hint="For example: A&E at the Royal Infirmary, or our GP surgery" values={values} errors={errors} />
      <TextInput name="nhs_body" label="The NHS trust or ICB (optional)" hint="If you know it: start typing its name to choose it from the list" list={nhsBodies.length > 0 ? 'nhs-bodies' : undefined} values={values} errors={errors} />
      {nhsBodies.length > 0 ? (
        <datalist id="nhs-bodies">
          {nhsBodies.map((name) => (
            <option value={name} />
          ))}
        </datalist>
      ) : null}
      <Select name="happened_when" label="Roughly when did it happen?" options={happenedWhenOptions.map((o) => ({ value: o.value, label: o.label }))} placeholder="Choose one" values={values} errors={errors} />
      <fieldset class="fieldset">
        <legend class="fieldset__legend">{recording ? 'About the storyteller' : 'About you'}</legend>
        <TextInput name="name" label="Name" autocomplete={recording ? undefined : 'name'} spellcheck={false} values={values} errors={errors} />
        <TextInput name="email" label="Email address" type="email" autocomplete={recording ? undefined : 'email'} hint={`We email ${you} to confirm before anything is used.`} spellcheck={false} values={values} errors={errors} />
        <TextInput name="phone" label="Phone number (optional)" type="tel" autocomplete={recording ? undefined : 'tel'} width="20" values={values} errors={errors} />
        <TextInput name="postcode" label="Postcode" hint="To know which constituency the story is from. It is never published." autocomplete={recording ? undefined : 'postal-code'} width="10" values={values} errors={errors} />
        <TextInput name="town" label="Town (optional)" hint="Needed only to be named by first name and town" values={values} errors={errors} />
      </fieldset>
      <fieldset class="fieldset">
        <legend class="fieldset__legend">Would you be willing to speak about it? We always ask first, each time.</legend>
        <Checkbox name="speak_to_press" label="I would speak to journalists" checked={ticked(values, 'speak_to_press')} errors={errors} />
        <Checkbox name="speak_to_politicians" label="I would speak to politicians" checked={ticked(values, 'speak_to_politicians')} errors={errors} />
      </fieldset>
      <TextArea name="media_links" label="Links to videos or other media (optional)" hint="Full addresses starting with https://, one a line, up to 5" rows={3} values={values} errors={errors} />
      <fieldset class="fieldset" aria-describedby="photos-hint">
        <legend class="fieldset__legend">Photos (optional)</legend>
        <p class="hint" id="photos-hint">
          Up to {PHOTO_FIELDS.length} photos, JPEG, PNG or WebP, each up to {PHOTO_MAX_BYTES / (1024 * 1024)} MB. We make them smaller and remove the hidden details inside them, such as where they were taken. They are kept encrypted: only the people responsible for {recording ? 'the' : 'your'} story can see them.
        </p>
        {photosSent > 0 ? (
          <p class="notice notice--warning" id="photos-again">
            <strong>Choose {photosSent === 1 ? 'the photo' : 'the photos'} again.</strong> For safety, a photo is kept only once the whole form is sent without problems.
          </p>
        ) : null}
        {PHOTO_FIELDS.map((field, i) => (
          <FileInput name={field} label={`Photo ${i + 1}`} accept="image/jpeg,image/png,image/webp" errors={errors} />
        ))}
      </fieldset>
      <ChoiceGroup type="radio" name="identify_as" legend="If your story is used, how may we name you?" options={identifyAsOptions.map((o) => ({ value: o.value, label: o.label }))} selected={[typeof values.identify_as === 'string' ? values.identify_as : 'anonymous']} errors={errors} />
      <fieldset class="fieldset" aria-describedby="consent-hint">
        <legend class="fieldset__legend">What may we do with the story?</legend>
        <p class="hint" id="consent-hint">
          Tick only what you agree to. {andList(controllers)} {controllers.length === 1 ? 'is' : 'are'} responsible for the story. This is separate from any other emails or updates. <a href="/stories/privacy">Read our privacy notice for stories</a>.
        </p>
        {STORY_USES.map(({ use }) => (
          <>
            <Checkbox name={`consent_${use}`} label={consentWording(use, controllers)} checked={ticked(values, `consent_${use}`)} errors={errors} />
          </>
        ))}
      </fieldset>
      <fieldset class="fieldset">
        <legend class="fieldset__legend">If you are under 18</legend>
        <Checkbox name="under_18" label="I am under 18" hint="We then also ask a parent or guardian to agree. Nothing is used until you have both agreed." checked={ticked(values, 'under_18')} errors={errors} />
        <TextInput name="guardian_name" label="Parent or guardian’s name" values={values} errors={errors} />
        <TextInput name="guardian_email" label="Parent or guardian’s email address" type="email" spellcheck={false} values={values} errors={errors} />
      </fieldset>
      <Button>{recording ? 'Record the story' : 'Send my story'}</Button>
    </Form>
  );
}

const title = (base: string, errors?: FieldErrors) => `${errors && Object.keys(errors).length > 0 ? 'Error: ' : ''}${base}`;

export function TellStoryPage(props: TellFormProps & { group?: Group | undefined }) {
  const heading = props.group ? `Tell ${props.group.name} your NHS story` : 'Tell us your NHS story';
  if (props.embed) {
    return (
      <EmbedLayout title={title(heading, props.errors)}>
        <h1 class="embed__title">{heading}</h1>
        <ErrorSummary errors={props.errors} />
        <StoryFormFields {...props} />
      </EmbedLayout>
    );
  }
  return (
    <Layout title={title(heading, props.errors)}>
      <ErrorSummary errors={props.errors} />
      <h1>{heading}</h1>
      <p class="lead">Your experience of the NHS can change minds. Tell us what happened, and choose exactly how it may be used.</p>
      <p>
        A story about your care is health information. We keep it encrypted, only the people responsible for it can read it, and you can withdraw it at any time. <a href="/stories/privacy">How we look after your story</a>.
      </p>
      <StoryFormFields {...props} />
    </Layout>
  );
}

/** The first step of the coalition's form: which member groups may also hold the story. */
export function ChooseGroupsPage({ groups }: { groups: readonly Group[] }) {
  const { brand } = usePage();
  return (
    <Layout title="Tell us your NHS story">
      <h1>Tell us your NHS story</h1>
      <p class="lead">First, who would you like to tell?</p>
      <form action="/stories/tell" method="get" class="story-form">
        <input type="hidden" name="to" value="chosen" />
        <ChoiceGroup type="checkbox" name="groups" legend={`${brand.name} always receives your story. Which of its groups may also have it?`} hint="Choose any, or none" options={groups.map((g) => ({ value: String(g.id), label: g.name }))} />
        <Button>Continue</Button>
      </form>
    </Layout>
  );
}

function Plain({ title: heading, embed = false, children }: { title: string; embed?: boolean; children: ComponentChildren }) {
  if (embed) {
    return (
      <EmbedLayout title={heading}>
        <h1 class="embed__title">{heading}</h1>
        {children}
      </EmbedLayout>
    );
  }
  return (
    <Layout title={heading}>
      <h1>{heading}</h1>
      {children}
    </Layout>
  );
}

export function CheckEmailPage({ embed, recorded }: { embed: boolean; recorded: boolean }) {
  return (
    <Plain title={recorded ? 'Story recorded' : 'Check your email'} embed={embed}>
      {recorded ? (
        <p>The story is recorded. We have emailed the storyteller to confirm it; nothing is used until they do.</p>
      ) : (
        <>
          <p>Thank you. We have sent you an email: please open the link in it to confirm your story. Nothing is used until you do.</p>
          <p>If you are under 18, we have also emailed your parent or guardian.</p>
        </>
      )}
    </Plain>
  );
}

export function ConfirmPage({ action }: { action: string }) {
  return (
    <Plain title="Confirm your story">
      <p>Please confirm that you told us this story and agree to what you chose.</p>
      <Form action={action} csrf={false}>
        <Button>Confirm my story</Button>
      </Form>
    </Plain>
  );
}

const stateWords: Record<StoryState, string> = {
  awaiting_confirmation: 'Waiting for you to confirm it by email. Nothing is used yet.',
  awaiting_guardian: 'Waiting for your parent or guardian to agree. Nothing is used until they do.',
  consented: 'You have agreed. It may be used only in the ways you chose.',
  lapsed: 'Your agreement has ended. It is no longer used.',
  withdrawn: 'Withdrawn. It is no longer used anywhere.',
};

export function ConfirmedPage({ state }: { state: StoryState }) {
  return (
    <Plain title="Thank you: your story is confirmed">
      <div class="panel panel--confirmation">
        <p>{stateWords[state]}</p>
      </div>
      <p>Keep the email we sent: its links let you see your story and consents, or withdraw it, at any time.</p>
    </Plain>
  );
}

export function LinkGonePage() {
  return (
    <Plain title="This link does not work">
      <p>The link may be mistyped, or the story it belonged to has been deleted.</p>
    </Plain>
  );
}

export function GuardianPage({ action, youngPerson, story, uses, controllers }: { action: string; youngPerson: string; story: string; uses: string[]; controllers: string[] }) {
  return (
    <Plain title="A young person’s story">
      <p>{youngPerson} told us this story and chose these uses:</p>
      <ul>
        {uses.length > 0 ? uses.map((u) => <li>{u}</li>) : <li>None yet: the story will not be used.</li>}
      </ul>
      <blockquote class="story-text">
        {story.split('\n\n').map((p) => (
          <p>{p}</p>
        ))}
      </blockquote>
      <Form action={action} csrf={false}>
        <p>{guardianWording(youngPerson, controllers)}</p>
        <Button>I agree</Button>
      </Form>
      <p>If you do not agree, close this page: the story will not be used.</p>
    </Plain>
  );
}

export function GuardianDonePage({ state }: { state: StoryState }) {
  return (
    <Plain title="Thank you">
      <p>Your agreement is recorded. {stateWords[state]}</p>
    </Plain>
  );
}

export interface MineProps {
  token: string;
  state: StoryState;
  story: string;
  expiresAt: Date | null;
  consents: Array<{ wording: string; given: boolean; at: Date }>;
}

export function MyStoryPage({ token, state, story, expiresAt, consents }: MineProps) {
  return (
    <Plain title="Your story">
      <p>
        <strong>Where it stands:</strong> {stateWords[state]}
      </p>
      {expiresAt && state === 'consented' ? <p>Your agreement lasts until {formatLondon(expiresAt, 'date')}. We email you a month before, so you can renew it.</p> : null}
      <h2>What you told us</h2>
      <blockquote class="story-text">
        {story.split('\n\n').map((p) => (
          <p>{p}</p>
        ))}
      </blockquote>
      <h2>What you agreed to</h2>
      <ul>
        {consents.map((c) => (
          <li>
            {c.given ? 'Agreed' : 'Not agreed'}: {c.wording} ({formatLondon(c.at, 'date')})
          </li>
        ))}
      </ul>
      {state !== 'withdrawn' ? (
        <>
          <h2>Withdraw your story</h2>
          <p>Withdrawing stops every use of your story at once. Copies already printed cannot be recalled.</p>
          <Form action={`/stories/withdraw/${token}`} csrf={false}>
            <Button variant="warning">Withdraw my story</Button>
          </Form>
        </>
      ) : null}
    </Plain>
  );
}

export function WithdrawnPage() {
  return (
    <Plain title="Your story is withdrawn">
      <div class="panel panel--confirmation">
        <p>We have stopped using your story, everywhere, at once. It will be deleted.</p>
      </div>
      <p>Copies already printed (leaflets, newspapers) cannot be recalled.</p>
    </Plain>
  );
}

export function RenewPage({ action, controllers, expiresAt }: { action: string; controllers: string[]; expiresAt: Date | null }) {
  return (
    <Plain title="Renew your agreement">
      {expiresAt ? <p>Your agreement {expiresAt > new Date() ? 'ends' : 'ended'} on {formatLondon(expiresAt, 'date')}.</p> : null}
      <Form action={action} csrf={false}>
        <p>{renewalWording(controllers)}</p>
        <Button>Renew for 12 months</Button>
      </Form>
    </Plain>
  );
}

export function RenewedPage({ expiresAt }: { expiresAt: Date }) {
  return (
    <Plain title="Thank you: renewed">
      <p>Your agreement now lasts until {formatLondon(expiresAt, 'date')}.</p>
    </Plain>
  );
}
