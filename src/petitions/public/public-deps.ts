import type { AppContext } from '../tables.ts';
import type { HexGridCache } from '../hexmap.ts';
import type { PetitionCache } from '../petition-cache.ts';
import type { RenderCache } from '../render-cache.ts';

/** What the public petition routes share: one of each per app instance. */
export interface PublicDeps {
  ctx: AppContext;
  petitions: PetitionCache;
  pages: RenderCache;
  hexGrid: HexGridCache;
}
