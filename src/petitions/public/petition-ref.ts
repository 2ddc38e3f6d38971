import { notFound } from '../../platform/index.ts';
import { VISIBLE_STATES } from '../states.ts';
import { findPetition, type Petition } from '../store.ts';
import type { PublicDeps } from './public-deps.ts';

const MAX_ID = 2_147_483_647;

export interface PetitionRef {
  id: number;
  slug: string | undefined;
  json: boolean;
}

/** "123", "123-save-our-unit", "123.json", "123-save-our-unit.json". */
export function parsePetitionRef(ref: string): PetitionRef | undefined {
  const match = /^(\d{1,10})(?:-([a-z0-9-]*))?(\.json)?$/.exec(ref);
  if (!match) return undefined;
  const id = Number(match[1]);
  if (id < 1 || id > MAX_ID) return undefined;
  return { id, slug: match[2], json: match[3] !== undefined };
}

/** A petition the public may see (open, closed or rejected); anything else is "not found". */
export async function visiblePetition(deps: PublicDeps, ref: string | undefined): Promise<Petition> {
  const parsed = parsePetitionRef(ref ?? '');
  const petition = parsed ? await deps.petitions.get(parsed.id) : undefined;
  if (!petition || !VISIBLE_STATES.includes(petition.state)) throw notFound('petition');
  return petition;
}

/**
 * The petition as it is now, for a body about to be cached for a second: cached bodies then lag
 * the database by at most that second (the petition cache would add another).
 */
export async function freshPetition(deps: PublicDeps, id: number): Promise<Petition> {
  const petition = await findPetition(deps.ctx.db, id);
  if (!petition || !VISIBLE_STATES.includes(petition.state)) throw notFound('petition');
  return petition;
}
