import type { Db } from '../tables.ts';

/**
 * Letters for tests: each built from its own sentences (so two are unlike), and a near copy that
 * changes a few words (so it is more than half like the first). Used by the letters tests and bench.
 */
const subjects = ['My mother', 'Our neighbour', 'A friend of mine', 'My son', 'The midwife who helped us', 'A colleague at the surgery', 'My grandfather', 'Our childminder'];
const verbs = ['waited', 'travelled', 'struggled', 'asked', 'phoned', 'queued', 'drove', 'walked'];
const objects = ['for an ambulance in the snow', 'forty miles to the next unit', 'to find a bus after six', 'three times before anyone called back', 'through the night for a bed', 'past the closed ward', 'with a newborn on her lap', 'for answers nobody gave'];
const reasons = ['because the local unit had no staff that weekend', 'since the trust moved the service last spring', 'while the car park was being rebuilt', 'after the night shift was cut', 'as the consultant had left', 'because nobody told us it had closed', 'when the phone line was down', 'although the unit was only a mile away'];

function pick<T>(list: readonly T[], n: number): T {
  return list[((n % list.length) + list.length) % list.length]!;
}

/** A letter of about 600 characters, its sentences chosen by `seed`. */
export function letterText(seed: number, to = 'Ada North'): string {
  const sentences: string[] = [];
  let s = seed * 2654435761;
  for (let i = 0; i < 6; i++) {
    s = (Math.imul(s ^ (s >>> 15), 2246822519) + i * 3266489917) | 0;
    sentences.push(`${pick(subjects, s)} ${pick(verbs, s >>> 3)} ${pick(objects, s >>> 6)} ${pick(reasons, s >>> 9)}, in ${1990 + ((s >>> 12) % 35)}, number ${(s >>> 4) % 997}.`);
  }
  return `Dear ${to},\n\n${sentences.join(' ')}\n\nPlease keep our maternity unit open.\n\nYours sincerely,\nA constituent`;
}

/** The same letter with a few words changed and another sign-off. */
export function nearCopy(letter: string): string {
  return letter.replace('Dear Ada North', 'Dear Ms North').replace(/number \d+/, 'number 12').replace('Yours sincerely,\nA constituent', 'Kind regards,\nJo');
}

/** The demo seats' MPs get Members API ids (as the Open Innovations file has them), so contacts can be imported for them. */
export async function giveMpsParliamentIds(db: Db, ids: Record<string, string>): Promise<void> {
  for (const [code, id] of Object.entries(ids)) await db.updateTable('mps').set({ parliament_id: id }).where('constituency_code', '=', code).execute();
}

/** One member's Contact response as the Members API returns it (GET /api/Members/{id}/Contact). */
export function contactResponse(id: string, email: string, social: { x?: string; bluesky?: string; mastodon?: string } = {}) {
  const web = (type: string, typeId: number, line1: string) => ({ type, typeDescription: type, typeId, isPreferred: false, isWebAddress: true, notes: null, line1, line2: null, line3: null, line4: null, line5: null, postcode: null, phone: null, fax: null, email: null });
  return {
    value: [
      { type: 'Parliamentary office', typeDescription: 'Parliamentary office', typeId: 1, isPreferred: false, isWebAddress: false, notes: null, line1: 'House of Commons', line2: 'London', line3: null, line4: null, line5: null, postcode: 'SW1A 0AA', phone: '020 7219 3000', fax: null, email },
      { type: 'Constituency office', typeDescription: 'Constituency office', typeId: 4, isPreferred: true, isWebAddress: false, notes: null, line1: '1 Market Street', line2: 'Northtown', line3: null, line4: null, line5: null, postcode: 'NE1 1AA', phone: '0191 000 0000', fax: null, email: 'constituency@example.org' },
      ...(social.x ? [web('X (formerly Twitter)', 7, social.x)] : []),
      ...(social.bluesky ? [web('Bluesky', 9, social.bluesky)] : []),
      ...(social.mastodon ? [web('Mastodon', 10, social.mastodon)] : []),
    ],
    links: [{ rel: 'self', href: `/Members/${id}/Contact`, method: 'GET' }],
  };
}
