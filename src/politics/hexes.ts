import { readSetting, type Handle } from '../platform/index.ts';
import { politicsQ } from './tables.ts';

/** The four HexJSON layouts: which rows (r) or columns (q) are shifted by half a hex. */
export const HEX_LAYOUTS = ['odd-r', 'even-r', 'odd-q', 'even-q'] as const;
export type HexLayoutName = (typeof HEX_LAYOUTS)[number];

/** Settings row holding the layout name of the stored hexes. */
export const HEX_LAYOUT_SETTING = 'politics.hex_layout';

export interface Hex {
  code: string;
  name: string;
  q: number;
  r: number;
  region: string | null;
}

export interface HexLayout {
  layout: HexLayoutName;
  hexes: Hex[];
}

/** The hex cartogram of constituencies (for maps), or undefined when none has been imported. */
export async function hexLayout(handle: Handle): Promise<HexLayout | undefined> {
  const q = politicsQ(handle);
  const rows = await q
    .selectFrom('constituency_hexes as h')
    .leftJoin('constituencies as c', 'c.code', 'h.constituency_code')
    .select(['h.constituency_code as code', 'c.name as constituencyName', 'h.name as hexName', 'h.q', 'h.r', 'h.region_code as region'])
    .orderBy('h.r', 'desc')
    .orderBy('h.q')
    .execute();
  if (rows.length === 0) return undefined;
  const stored = await readSetting<string>(q, HEX_LAYOUT_SETTING);
  const layout = (HEX_LAYOUTS as readonly string[]).includes(stored ?? '') ? (stored as HexLayoutName) : 'odd-r';
  return {
    layout,
    hexes: rows.map((h) => ({ code: h.code, name: h.constituencyName ?? h.hexName ?? h.code, q: h.q, r: h.r, region: h.region })),
  };
}
