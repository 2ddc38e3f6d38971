import { defineCapability, type TableHolds } from '../platform/index.ts';
import { storyMigrations } from './migrations.ts';
import { storySettings } from './settings.ts';
import { storiesKeyRing } from './story-keys.ts';
import type { StoryTables } from './tables.ts';

/** Stories: patients' and staff's stories of the NHS, told with explicit consent and kept sealed. */
export const stories = defineCapability({
  name: 'stories',
  dependsOn: ['coalition', 'politics', 'supporters'],
  tables: {
    stories: 'supporter',
    story_groups: 'none',
    story_consents: 'supporter',
    story_notes: 'supporter',
    story_tallies: 'none',
  } satisfies Record<keyof StoryTables, TableHolds>,
  migrations: storyMigrations,
  settings: storySettings,
  // Refuses to start without a key on a real database; makes the embedded default's key file once.
  prepare: (config) => void storiesKeyRing(config),
  personalData: [],
});
