import type { Db } from '../tables.ts';

/**
 * Letters for tests: each in its own words (so two are unlike), and a near copy that changes a few
 * words (so it is more than half like the first). Used by the letters tests and bench.
 */
const WORDS = (
  'ambulance bed birth bus care child clinic community consultant daughter doctor family friend grandmother hospital husband labour maternity midwife mother ' +
  'neighbour night nurse parent patient pregnancy road service shift son staff surgery town unit village ward waiting weekend wife winter ' +
  'always another asked became before brought called came cared closed could cried decided drove every felt found gave helped hoped kept knew ' +
  'later left lived looked made managed missed moved needed never often promised queued rang reached remember safely saved stayed struggled ' +
  'thought told travelled trusted waited walked wanted worked worried wrote yesterday after again almost because during early even far hours ' +
  'late long miles minutes months near nobody quickly really since still suddenly three twice twenty years'
).split(' ');
const POINTS = [
  'The nearest other maternity unit is far too far away for families without a car.',
  'Closing the unit will make it harder, not easier, to recruit and keep midwives.',
  'I ask you to press the trust to pause these plans and publish its travel-time analysis.',
  'Safe births close to home matter more than any saving the trust has promised.',
];

/** A small deterministic generator (mulberry32), so a seed always gives the same letter. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A letter of about 600 characters in its writer's own words (sentences of words drawn at random),
 * with one of the campaign's talking points as people quote them: unlike any other letter but
 * sharing phrases, as letters on one subject do.
 */
export function letterText(seed: number, to = 'Ada North'): string {
  const random = generator(seed * 2654435761 + 1);
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(random() * 7) }, () => WORDS[Math.floor(random() * WORDS.length)]!);
    return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
  };
  const own = Array.from({ length: 5 }, sentence);
  own.splice(2, 0, `I have lived here for ${1 + Math.floor(random() * 60)} years, at number ${1 + Math.floor(random() * 300)}.`);
  return `Dear ${to},\n\n${own.join(' ')}\n\n${POINTS[Math.floor(random() * POINTS.length)]}\n\nYours sincerely,\nA constituent`;
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
