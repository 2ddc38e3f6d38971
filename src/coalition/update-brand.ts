import { z } from 'zod';
import { checkbox, recordAudit, requiredText, storeImage, type Brand, type UploadedFile, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { readBrand, writeBrand, type BrandSettings } from './brand.ts';
import { MIN_TEXT_CONTRAST, contrastRatio } from './contrast.ts';

const colour = (label: string, example: string) =>
  z
    .string({ message: `Enter the ${label} as a hex code like ${example}` })
    .trim()
    .toLowerCase()
    .transform((v) => (v && !v.startsWith('#') ? `#${v}` : v))
    .refine((v) => /^#[0-9a-f]{6}$/.test(v), { message: `Enter the ${label} as a hex code like ${example}` });

/**
 * The brand form. Text on the main colour (the header, its links) must be readable: the pair
 * must reach WCAG AA contrast, 4.5:1.
 */
export const brandInputSchema = z
  .object({
    name: requiredText('the coalition’s name', 80),
    tagline: z.string().trim().max(200, { message: 'Tagline must be 200 characters or fewer' }).default(''),
    primaryColour: colour('main colour', '#005eb8'),
    primaryTextColour: colour('text colour', '#ffffff'),
    accentColour: colour('accent colour', '#ffb81c'),
    removeLogo: checkbox(),
  })
  .superRefine((value, context) => {
    const hex = /^#[0-9a-f]{6}$/;
    if (!hex.test(value.primaryColour) || !hex.test(value.primaryTextColour)) return; // already reported
    const ratio = contrastRatio(value.primaryColour, value.primaryTextColour);
    if (ratio < MIN_TEXT_CONTRAST) {
      context.addIssue({
        code: 'custom',
        path: ['primaryTextColour'],
        message: `Text in ${value.primaryTextColour} on the main colour ${value.primaryColour} has a contrast ratio of ${Math.floor(ratio * 100) / 100}:1. Choose colours with a ratio of at least 4.5:1 so everyone can read it`,
      });
    }
  });

export type BrandInput = z.output<typeof brandInputSchema>;

function settingsOf(brand: Brand): BrandSettings {
  return {
    name: brand.name,
    tagline: brand.tagline,
    logoUrl: brand.logoUrl,
    primaryColour: brand.primaryColour,
    primaryTextColour: brand.primaryTextColour,
    accentColour: brand.accentColour,
  };
}

/** Saves the coalition's name, tagline, logo and colours; returns the brand for the cache. */
export async function updateBrand(q: Q, props: { actor: Viewer; input: BrandInput; logo?: UploadedFile | undefined }): Promise<Brand> {
  const before = settingsOf(await readBrand(q));
  const { input } = props;
  const logoUrl = props.logo ? `/media/${await storeImage(q, 'logo', props.logo)}` : input.removeLogo ? null : before.logoUrl;
  const after: BrandSettings = {
    name: input.name,
    tagline: input.tagline,
    logoUrl,
    primaryColour: input.primaryColour,
    primaryTextColour: input.primaryTextColour,
    accentColour: input.accentColour,
  };
  const brand = await writeBrand(q, after);
  await recordAudit(q, { actor: props.actor, action: 'brand.update', subjectType: 'brand', subjectId: null, before, after });
  return brand;
}
