import { Button, Form, Layout, Notice } from '../platform/index.ts';
import type { Purpose } from './consent.ts';
import type { PreferenceLine } from './preferences.ts';

const statusText: Record<string, string> = {
  given: 'You get these emails.',
  pending: 'Waiting for you to confirm: tick the box and save to confirm now.',
  withdrawn: 'You unsubscribed from these emails.',
};

export function PreferencesPage({ token, email, lines, saved }: { token: string; email: string; lines: PreferenceLine[]; saved?: 'saved' | 'withdrawn-all' | undefined }) {
  const anyLive = lines.some((l) => l.status === 'given' || l.status === 'pending');
  return (
    <Layout title="Your email preferences">
      {saved === 'saved' ? <Notice>Your preferences have been saved.</Notice> : null}
      {saved === 'withdrawn-all' ? <Notice>You have been unsubscribed from all our emails.</Notice> : null}
      <h1>Your email preferences</h1>
      <p class="lead">
        For <strong class="email-address">{email}</strong>. Tick what you want to get, untick what you do not, then save.
      </p>
      <Form action={`/preferences/${token}`} csrf={false}>
        <fieldset class="fieldset">
          <legend class="fieldset__legend">Emails you get</legend>
          <div class="choices">
            {lines.map((line, index) => {
              const id = `purpose-${index + 1}`;
              return (
                <div class="choice">
                  <input type="hidden" name={`wording_${line.purpose.id}`} value={String(line.wording.id)} />
                  <input
                    class="choice__input"
                    id={id}
                    name="purposes"
                    type="checkbox"
                    value={String(line.purpose.id)}
                    checked={line.status === 'given'}
                    aria-describedby={`${id}-hint`}
                  />
                  <label class="choice__label" for={id}>
                    <strong>{line.purpose.name}</strong>: {line.wording.text}
                  </label>
                  <div class="hint choice__hint" id={`${id}-hint`}>
                    {line.status ? statusText[line.status] : 'You have not subscribed to these emails.'}
                  </div>
                </div>
              );
            })}
          </div>
        </fieldset>
        <Button name="action" value="save">
          Save my preferences
        </Button>
      </Form>
      {anyLive ? (
        <>
          <h2>Stop all emails</h2>
          <Form action={`/preferences/${token}`} csrf={false}>
            <input type="hidden" name="action" value="withdraw-all" />
            <Button variant="warning">Unsubscribe from everything</Button>
          </Form>
        </>
      ) : null}
    </Layout>
  );
}

export function UnsubscribePage({ token, purpose, email }: { token: string; purpose: Purpose; email: string }) {
  return (
    <Layout title="Unsubscribe">
      <h1>Unsubscribe</h1>
      <p class="lead">
        Stop emails about <strong>{purpose.name}</strong> to <span class="email-address">{email}</span>?
      </p>
      <Form action={`/unsubscribe/${token}`} csrf={false}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <Button>Unsubscribe</Button>
      </Form>
    </Layout>
  );
}

export function UnsubscribedPage({ purpose, preferencesHref, changed }: { purpose: Purpose; preferencesHref: string; changed: boolean }) {
  return (
    <Layout title="You are unsubscribed">
      <div class="panel" role="status">
        <h1 class="panel__title">You are unsubscribed</h1>
        <p class="panel__body">You will not get any more emails about {purpose.name}.</p>
      </div>
      {changed ? null : <p>You had already unsubscribed.</p>}
      <p>
        <a href={preferencesHref}>See all your email preferences</a>
      </p>
    </Layout>
  );
}
