import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { recordAction } from '../people.ts';
import type { Q } from '../tables.ts';

/**
 * Links in a mailing go through /m/<token>, which records the click (with the person, when the
 * token is theirs) and redirects. Token: <link>.<person public id>.<mac>; the MAC binds the person
 * to the mailing, so a token cannot be edited to count a click for someone else. No open
 * tracking: nothing is loaded when a message is merely read.
 */
function mac(secret: string, mailingId: number, personPublicId: string): string {
  return createHmac('sha256', secret).update(`click:${mailingId}:${personPublicId}`).digest('base64url').slice(0, 16);
}

/** The part of a tracked link that names the person (the same for every link in their message). */
export function clickSuffix(secret: string, mailingId: number, personPublicId: string): string {
  return `${personPublicId}.${mac(secret, mailingId, personPublicId)}`;
}

export function trackedUrl(baseUrl: string, linkToken: string, suffix: string): string {
  return `${baseUrl}/m/${linkToken}.${suffix}`;
}

/** Creates (or finds) the mailing's link rows; returns their tokens in the order of `urls`. */
export async function ensureMailingLinks(q: Q, mailingId: number, urls: string[]): Promise<string[]> {
  if (urls.length === 0) return [];
  await q
    .insertInto('mailing_links')
    .values(urls.map((url) => ({ mailing_id: mailingId, url, token: randomBytes(9).toString('base64url') })))
    .onConflict((oc) => oc.columns(['mailing_id', 'url']).doNothing())
    .execute();
  const rows = await q.selectFrom('mailing_links').select(['url', 'token']).where('mailing_id', '=', mailingId).execute();
  const byUrl = new Map(rows.map((r) => [r.url, r.token]));
  return urls.map((url) => byUrl.get(url)!);
}

/**
 * Records a click on a tracked link and returns where it goes, or undefined for an unknown link.
 * A token whose person part does not check out still redirects (a forwarded or mangled link
 * should work) but counts the click without a person.
 */
export async function followTrackedLink(q: Q, secret: string, token: string, options: { record: boolean }): Promise<string | undefined> {
  const [linkToken, personPublicId, given] = token.split('.');
  if (!linkToken) return undefined;
  const link = await q.selectFrom('mailing_links').select(['id', 'mailing_id', 'url']).where('token', '=', linkToken).executeTakeFirst();
  if (!link) return undefined;
  if (!options.record) return link.url;
  let personId: number | null = null;
  if (personPublicId && given && /^[0-9a-f-]{36}$/.test(personPublicId)) {
    const expected = Buffer.from(mac(secret, link.mailing_id, personPublicId));
    const actual = Buffer.from(given);
    if (expected.length === actual.length && timingSafeEqual(expected, actual)) {
      const person = await q.selectFrom('people').select('id').where('public_id', '=', personPublicId).executeTakeFirst();
      personId = person?.id ?? null;
    }
  }
  await q.insertInto('link_clicks').values({ link_id: link.id, person_id: personId }).execute();
  if (personId !== null) {
    await recordAction(q, personId, { kind: 'mailing.clicked', subjectType: 'mailing', subjectId: link.mailing_id, detail: { url: link.url } });
  }
  return link.url;
}
