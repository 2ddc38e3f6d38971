import { defineCapability, type TableHolds } from '../platform/index.ts';
import { storyMigrations } from './migrations.ts';
import { storytellerParts } from './storytellers/parts.ts';
import { storySettings } from './settings.ts';
import { storiesKeyRing, useStoriesConfig } from './story-keys.ts';
import type { StoryTables } from './tables.ts';

/** Stories: patients' and staff's stories of the NHS, told with explicit consent and kept sealed. */
export const stories = defineCapability({
  name: 'stories',
  dependsOn: ['coalition', 'politics', 'supporters', 'events'],
  tables: {
    stories: 'supporter',
    story_groups: 'none',
    story_consents: 'supporter',
    story_notes: 'supporter',
    story_tallies: 'none',
    ...storytellerParts.tables,
  } satisfies Record<keyof StoryTables, TableHolds>,
  migrations: storyMigrations,
  settings: storySettings,
  // Refuses to start without a key on a real database; makes the embedded default's key file once.
  prepare: (config) => void (useStoriesConfig(config), storiesKeyRing(config)),
  personalData: [...storytellerParts.personalData],
  routes: { admin: storytellerParts.routes },
  adminNav: storytellerParts.adminNav,
  auditWords: storytellerParts.auditWords,
  mailKinds: storytellerParts.mailKinds,
  demo: storytellerParts.demo,
});
