import { createHash } from 'node:crypto';
import { z } from 'zod';
import { readSetting, writeSetting, type Brand } from '../platform/index.ts';
import type { Db, Q } from './tables.ts';

export const brandSettingsSchema = z.object({
  name: z.string().trim().min(1, { message: 'Enter the coalition’s name' }).max(80, { message: 'Name must be 80 characters or fewer' }),
  tagline: z.string().trim().max(200, { message: 'Tagline must be 200 characters or fewer' }).default(''),
  logoUrl: z.string().nullable().default(null),
  primaryColour: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'Enter the main colour as a hex code like #005ea5' }),
  primaryTextColour: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'Enter the text colour as a hex code like #ffffff' }),
  accentColour: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'Enter the accent colour as a hex code like #ffdd00' }),
});

export type BrandSettings = z.infer<typeof brandSettingsSchema>;

export const defaultBrand: BrandSettings = {
  name: 'Chorus',
  tagline: 'One place for the campaigns that defend our NHS.',
  logoUrl: null,
  primaryColour: '#005eb8',
  primaryTextColour: '#ffffff',
  accentColour: '#ffb81c',
};

function withVersion(settings: BrandSettings): Brand {
  const version = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 10);
  return { ...settings, version };
}

export async function readBrand(q: Q): Promise<Brand> {
  const stored = await readSetting<unknown>(q, 'brand');
  const parsed = brandSettingsSchema.safeParse({ ...defaultBrand, ...(stored as object | undefined) });
  return withVersion(parsed.success ? parsed.data : defaultBrand);
}

export async function writeBrand(q: Q, settings: BrandSettings): Promise<Brand> {
  await writeSetting(q, 'brand', settings);
  return withVersion(settings);
}

/**
 * The brand as pages need it, synchronously. Refreshed from the database at most every two
 * seconds, so an edit in one process shows in every process within seconds.
 */
export class BrandCache {
  private value: Brand = withVersion(defaultBrand);
  private loadedAt = 0;
  private loading: Promise<Brand> | undefined;

  constructor(private readonly db: Db, private readonly maxAgeMs = 2000) {}

  current(): Brand {
    return this.value;
  }

  /** Whether current() is recent enough that get() would not read the database. */
  fresh(): boolean {
    return Date.now() - this.loadedAt < this.maxAgeMs;
  }

  async get(): Promise<Brand> {
    if (this.fresh()) return this.value;
    this.loading ??= readBrand(this.db)
      .then((brand) => {
        this.value = brand;
        this.loadedAt = Date.now();
        return brand;
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** After an edit in this process: show it at once. */
  set(brand: Brand): void {
    this.value = brand;
    this.loadedAt = Date.now();
  }
}

/** The brand stylesheet: CSS custom properties that app.css uses for colours. */
export function brandCss(brand: Brand): string {
  return `:root{--brand-primary:${brand.primaryColour};--brand-primary-text:${brand.primaryTextColour};--brand-accent:${brand.accentColour};}\n`;
}
