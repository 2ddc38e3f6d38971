import { expect } from 'vitest';
import type { TestApp } from '../../../test/support/app.ts';
import { places } from '../../../test/support/public-petitions.ts';
import { withSecrets } from '../../platform/mail/outbox.ts';

let ip = 0;

export const ORIGINAL = 'Nurse Bernadette Quill left me on a trolley at Ward Nine on 14 March while Dr Okonkwo shouted.';

export function postForm(t: TestApp, url: string, body: Record<string, string | string[]>) {
  ip++;
  return t.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(Object.entries(body).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.ctx.config.BASE_URL },
    remoteAddress: `10.7.${Math.floor(ip / 250)}.${ip % 250}`,
  });
}

export async function mailsTo(t: TestApp, to: string, kind: string): Promise<string[]> {
  const rows = await t.database.db.selectFrom('outbound_emails').select(['text_body', 'secrets']).where('to_address', '=', to).where('kind', '=', kind).orderBy('id', 'desc').execute();
  return rows.map((r) => withSecrets(r.text_body, r.secrets as string[] | null));
}

export const linkIn = (text: string, path: string) => text.match(new RegExp(`https?://[^/\\s]+(${path}/[A-Za-z0-9_-]{32})`))![1]!;

/** A story told on a group's form and confirmed by its teller's email link: consented. */
export async function consentedStory(t: TestApp, overrides: Record<string, string | string[]> = {}, group = 'keep-our-ae') {
  const email = `teller${Math.random().toString(36).slice(2, 8)}@example.org`;
  const response = await postForm(t, `/groups/${group}/stories`, {
    story: ORIGINAL,
    service: 'Ward Nine, Northtown General',
    happened_when: 'last_year',
    postcode: places.north.postcode,
    name: 'Priya Quietname',
    email,
    identify_as: 'first_name',
    consent_publish_hub: 'yes',
    ...overrides,
  });
  expect(response.statusCode).toBe(200);
  const story = await t.database.db.selectFrom('stories').select(['id']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  const [mail] = await mailsTo(t, email, 'stories.story.confirm');
  expect((await postForm(t, linkIn(mail!, '/stories/confirm'), {})).statusCode).toBe(200);
  const [withdrawMail] = await mailsTo(t, email, 'stories.story.confirm');
  return { id: story.id, email, withdrawPath: linkIn(withdrawMail!, '/stories/withdraw') };
}

/** A published version that takes out the names and the date. */
export const REDACTED_VERSION = {
  title: 'Left on a trolley',
  text: 'Nurse Bernadette Quill left me on a trolley at Ward Nine last spring while Dr Okonkwo shouted.',
  redactions: 'Bernadette Quill\nOkonkwo\nWard Nine',
  service: 'hospital',
  topic: 'staffing',
};
