import type { KeyRing } from '../platform/index.ts';

/** Every sealed column, by table: what `chorus stories rotate-key` re-seals, and each value's purpose. */
export const SEALED_COLUMNS = {
  stories: [
    'story_sealed',
    'service_sealed',
    'nhs_body_sealed',
    'postcode_sealed',
    'name_sealed',
    'email_sealed',
    'phone_sealed',
    'town_sealed',
    'media_links_sealed',
    'guardian_name_sealed',
    'guardian_email_sealed',
  ],
  story_notes: ['note_sealed'],
  story_publications: ['title_sealed', 'text_sealed', 'redactions_sealed', 'changes_wanted_sealed', 'safeguarding_note_sealed'],
} as const;

export type SealedTable = keyof typeof SEALED_COLUMNS;

/** The associated data a column's values are sealed with, so a value copied elsewhere does not open. */
export const purposeOf = (table: SealedTable, column: string) => `${table}.${column}`;

export const sealFor = (ring: KeyRing, column: (typeof SEALED_COLUMNS)['stories'][number], plain: string) => ring.sealText(plain, purposeOf('stories', column));
export const sealOptionalFor = (ring: KeyRing, column: (typeof SEALED_COLUMNS)['stories'][number], plain: string | null | undefined) => ring.sealOptional(plain, purposeOf('stories', column));
export const openFor = (ring: KeyRing, column: (typeof SEALED_COLUMNS)['stories'][number], sealed: string) => ring.openText(sealed, purposeOf('stories', column));
export const openOptionalFor = (ring: KeyRing, column: (typeof SEALED_COLUMNS)['stories'][number], sealed: string | null) => ring.openOptional(sealed, purposeOf('stories', column));

/** Every sealed bytea column (photos), by table: re-sealed by rotate-key as the text columns are. */
export const SEALED_BYTE_COLUMNS = {
  story_photos: ['photo_sealed', 'thumbnail_sealed'],
} as const;

export type SealedBytesTable = keyof typeof SEALED_BYTE_COLUMNS;
export const bytesPurposeOf = (table: SealedBytesTable, column: string) => `${table}.${column}`;
