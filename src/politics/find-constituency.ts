import type { Q } from './tables.ts';
import { lookupPostcode, type PostcodePlace } from './postcodes.ts';

/** Why a postcode does not lead to a constituency. */
export type PostcodeProblem = 'blank' | 'malformed' | 'unknown' | 'terminated' | 'outside_uk' | 'no_constituency';

/** HTTP status for each problem: a postcode that cannot be one is invalid; one we cannot place is not found. */
export const postcodeProblemStatus: Record<PostcodeProblem, 404 | 422> = {
  blank: 422,
  malformed: 422,
  outside_uk: 422,
  unknown: 404,
  terminated: 404,
  no_constituency: 404,
};

type Place = Extract<PostcodePlace, { status: 'found' }>;

export type FoundConstituency =
  | { found: true; postcode: string; constituencyCode: string; place: Place }
  /** `place` is set when the postcode is real and current but its constituency is not known. */
  | { found: false; problem: PostcodeProblem; postcode: string; message: string; place?: Place };

/** Longer than any postcode however it is spaced: not worth a lookup. */
const MAX_TYPED = 16;

/** "Find your constituency": where a typed postcode is, or a message saying exactly what is wrong with it. */
export async function findConstituencyByPostcode(q: Q, typed: string): Promise<FoundConstituency> {
  const trimmed = typed.trim();
  if (trimmed === '') return { found: false, problem: 'blank', postcode: '', message: 'Enter your postcode' };
  if (trimmed.length > MAX_TYPED) {
    return { found: false, problem: 'malformed', postcode: trimmed, message: 'Enter a real UK postcode, like SW1A 1AA' };
  }
  const place = await lookupPostcode(q, trimmed);
  if (place.status === 'outside_uk') {
    return {
      found: false,
      problem: 'outside_uk',
      postcode: place.postcode,
      message: `${place.postcode} is outside the UK (Channel Islands or Isle of Man), so it has no UK Parliament constituency`,
    };
  }
  if (place.status !== 'found') return { found: false, problem: place.status, postcode: place.postcode, message: place.message };
  if (!place.constituencyCode) {
    return { found: false, problem: 'no_constituency', postcode: place.postcode, message: `We know ${place.postcode} but not which constituency it is in`, place };
  }
  return { found: true, postcode: place.postcode, constituencyCode: place.constituencyCode, place };
}
