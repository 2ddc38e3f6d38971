import type { Group } from '../coalition/index.ts';
import { Button, Checkbox, EmbedLayout, ErrorSummary, Form, Layout, TextInput, andList, usePage, type FieldErrors, type FormValues } from '../platform/index.ts';
import type { ConsentBox } from './signup-form.ts';

export interface SignUpFormProps {
  action: string;
  boxes: ConsentBox[];
  /** Hidden: utm_source, utm_campaign, referrer (from the page's own request). */
  arrival: Record<string, string>;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
}

/**
 * Name, email, optional postcode and the consent box(es) with the exact words. The form
 * carries no cookie token: it is protected by an Origin check, so it also works inside an
 * iframe on a group's own site, and the email confirmation proves the address anyway.
 */
export function SignUpFormFields({ action, boxes, arrival, errors, values }: SignUpFormProps) {
  return (
    <>
      <ErrorSummary errors={errors} />
      <Form action={action} csrf={false} class="signup-form">
        {Object.entries(arrival).map(([name, value]) => (
          <input type="hidden" name={name} value={values?.[name] ?? value} />
        ))}
        <TextInput name="name" label="Full name" autocomplete="name" spellcheck={false} errors={errors} values={values} />
        <TextInput name="email" label="Email address" type="email" autocomplete="email" spellcheck={false} errors={errors} values={values} />
        <TextInput
          name="postcode"
          label="Postcode (optional)"
          hint="So we can tell you about campaigns near you, and which MP to write to"
          autocomplete="postal-code"
          width="10"
          errors={errors}
          values={values}
        />
        {boxes.map((box) => (
          <>
            <input type="hidden" name={box.field.replace('consent_', 'wording_')} value={String(box.wording.id)} />
            <Checkbox name={box.field} label={box.wording.text} checked={values ? values[box.field] === 'yes' : false} errors={errors} />
          </>
        ))}
        <p class="hint">
          We will email you to confirm before we send anything. <a href="/privacy">How we use your details</a>.
        </p>
        <Button>Sign up</Button>
      </Form>
    </>
  );
}

export function JoinPage(props: Omit<SignUpFormProps, 'action'>) {
  const { brand } = usePage();
  const title = `Join ${brand.name}`;
  return (
    <Layout title={props.errors ? `Error: ${title}` : title}>
      <h1>{title}</h1>
      <p class="lead">Get news of our campaigns and the ways you can help defend the NHS.</p>
      <SignUpFormFields action="/join" {...props} />
    </Layout>
  );
}

export function GroupSubscribePage(props: Omit<SignUpFormProps, 'action'> & { group: Group }) {
  const title = `Get updates from ${props.group.name}`;
  return (
    <Layout
      title={props.errors ? `Error: ${title}` : title}
      breadcrumbs={[
        { href: '/groups', label: 'Member groups' },
        { href: `/groups/${props.group.slug}`, label: props.group.name },
      ]}
    >
      <h1>{title}</h1>
      <SignUpFormFields action={`/groups/${props.group.slug}/subscribe`} {...props} />
    </Layout>
  );
}

export function EmbedSubscribePage(props: Omit<SignUpFormProps, 'action'> & { group: Group }) {
  const title = `Get updates from ${props.group.name}`;
  return (
    <EmbedLayout title={props.errors ? `Error: ${title}` : title}>
      <h1 class="embed__title">{title}</h1>
      <SignUpFormFields action={`/embed/subscribe/${props.group.slug}`} {...props} />
    </EmbedLayout>
  );
}

function CheckEmailText({ email }: { email: string }) {
  return (
    <>
      <h1>Check your email</h1>
      <p class="lead">
        We have sent an email to <strong>{email}</strong>.
      </p>
      <p>Click the link in it to confirm. We will not email you anything else until you do.</p>
      <p>If it has not arrived within a few minutes, look in your spam or junk folder.</p>
    </>
  );
}

export function CheckEmailPage({ email, embed }: { email: string; embed: boolean }) {
  if (embed) {
    return (
      <EmbedLayout title="Check your email">
        <CheckEmailText email={email} />
      </EmbedLayout>
    );
  }
  return (
    <Layout title="Check your email">
      <CheckEmailText email={email} />
    </Layout>
  );
}


/** `senders`: who the person will hear from, as they know them (see sendersOf). */
export function ConfirmSignUpPage({ token, senders }: { token: string; senders: string[] }) {
  return (
    <Layout title="Confirm your subscription">
      <h1>Confirm your subscription</h1>
      <p class="lead">Confirm that you want to get emails from {andList(senders)}.</p>
      <Form action={`/subscribe/confirm/${token}`} csrf={false}>
        <Button>Yes, subscribe me</Button>
      </Form>
    </Layout>
  );
}

export function SignUpConfirmedPage({ senders, preferencesHref, alreadyConfirmed }: { senders: string[]; preferencesHref: string; alreadyConfirmed: boolean }) {
  return (
    <Layout title="You are subscribed">
      <div class="panel" role="status">
        <h1 class="panel__title">You are subscribed</h1>
        <p class="panel__body">You will get emails from {andList(senders)}.</p>
      </div>
      {alreadyConfirmed ? <p>You had already confirmed this subscription.</p> : <p>Thank you for confirming your email address.</p>}
      <p>
        You can <a href={preferencesHref}>change your email preferences</a> or unsubscribe at any time: every email we send has a link.
      </p>
    </Layout>
  );
}
