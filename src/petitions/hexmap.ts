import { hexLayout, hexmapSvg, type HexGrid } from '../politics/index.ts';
import type { Petition } from './store.ts';
import type { Q } from './tables.ts';

/** The constituency cartogram imported from HexJSON (politics), in its layout; no hexes when none is imported. */
async function loadHexGrid(q: Q): Promise<HexGrid> {
  return (await hexLayout(q)) ?? { layout: 'odd-r', hexes: [] };
}

/** Reference data changes on import only: one read a minute per process is plenty. */
export class HexGridCache {
  private value: { at: number; grid: Promise<HexGrid> } | undefined;
  constructor(private readonly maxAgeMs = 60_000) {}

  get(q: Q): Promise<HexGrid> {
    if (!this.value || Date.now() - this.value.at > this.maxAgeMs) {
      const grid = loadHexGrid(q);
      this.value = { at: Date.now(), grid };
      grid.catch(() => (this.value = undefined));
    }
    return this.value.grid;
  }
}

/** Where a petition's map is served: an image of its own, cached apart from the page. */
export const hexmapPath = (petition: Pick<Petition, 'id'>) => `/petitions/${petition.id}/hexmap.svg`;

/** The page listing every constituency, region and country with its signatures (the map's text alternative). */
export const placesPath = (petition: Pick<Petition, 'path'>) => `${petition.path}/constituencies`;

export const hexmapTitle = (petition: Pick<Petition, 'action'>) => `Map of signatures by constituency: ${petition.action}`;

/** The petition's signatures by constituency as a standalone SVG, or undefined when no hexes are imported. */
export function petitionHexmapSvg(petition: Petition, grid: HexGrid, counts: ReadonlyMap<string, number>, baseUrl: string): string | undefined {
  const places = [...counts.values()].filter((n) => n > 0).length;
  return hexmapSvg(grid, counts, {
    title: hexmapTitle(petition),
    description:
      `A hex map of UK parliamentary constituencies, one hexagon each, shaded by how many people there have signed. ` +
      `${places} ${places === 1 ? 'constituency has' : 'constituencies have'} signatures. Every constituency’s figure is listed at ${baseUrl}${placesPath(petition)}.`,
    noun: { one: 'signature', many: 'signatures' },
  });
}
