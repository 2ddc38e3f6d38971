import { defineCapability, txViewOf, type TableHolds } from '../platform/index.ts';
import { demoTargetSeats } from '../politics/index.ts';
import { registerStoryAdminRoutes } from './admin/routes.tsx';
import { storyAuditWords } from './audit-words.ts';
import { loadStoryDemo } from './demo.ts';
import { storyCron, storyJobs } from './jobs.ts';
import { eraseStoriesOfPerson, storiesOfPerson } from './personal-data.ts';
import { registerStoryPublicRoutes } from './public/routes.tsx';
import { storyMigrations } from './migrations.ts';
import { storytellerParts } from './storytellers/parts.ts';
import { storySettings } from './settings.ts';
import { storiesKeyRing, useStoriesConfig } from './story-keys.ts';
import { storiesQ, type AppContext, type StoriesView, type StoryTables } from './tables.ts';
import { moderationAuditActions } from './moderation/audit-words.ts';
import { loadPublishedDemo } from './moderation/demo.ts';
import { registerModerationRoutes } from './moderation/routes.tsx';
import { useSafeguardingLead } from './moderation/safeguarding-lead.ts';
import { registerPublishedRoutes, storySections } from './public/published-routes.tsx';

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
    story_photos: 'supporter',
    story_publications: 'supporter',
  } satisfies Record<keyof StoryTables, TableHolds>,
  migrations: storyMigrations,
  settings: storySettings,
  // Refuses to start without a key on a real database; makes the embedded default's key file once.
  prepare: (config) => {
    storiesKeyRing(config);
    useStoriesConfig(config);
    useSafeguardingLead(config);
  },
  routes: {
    public: (app, ctx) => {
      registerStoryPublicRoutes(app, ctx as AppContext);
      registerPublishedRoutes(app, ctx as AppContext);
    },
    admin: (app, ctx) => {
      registerStoryAdminRoutes(app, ctx as AppContext);
      registerModerationRoutes(app, ctx as AppContext);
      storytellerParts.routes(app, ctx as AppContext);
    },
  },
  pageSections: storySections,
  jobs: storyJobs,
  cron: storyCron,
  auditWords: {
    actions: { ...storyAuditWords.actions, ...moderationAuditActions, ...storytellerParts.auditWords.actions },
    subjects: { ...storyAuditWords.subjects, ...storytellerParts.auditWords.subjects },
  },
  mailKinds: {
    'stories.story.confirm': 'Story: please confirm',
    'stories.guardian.consent': 'Story: a parent or guardian asked to agree',
    'stories.consent.reminder': 'Story: consent ends in a month (renew)',
    'stories.story.withdrawn': 'Story withdrawn',
    'stories.published.approval': 'Story: please approve the published version',
    'stories.safeguarding.flag': 'Story flagged for safeguarding (to the lead)',
    ...storytellerParts.mailKinds,
  },
  publicNav: [{ href: '/stories', label: 'Stories', order: 40 }],
  adminNav: [...storytellerParts.adminNav, { href: '/admin/stories', label: 'Stories', order: 40, roles: ['admin', 'moderator', 'organiser'], description: 'Stories told to the coalition and your groups, with their consents.' }],
  demo: async (tx, facts) => {
    const made = await loadStoryDemo(txViewOf<StoriesView>(tx), (facts.coalition as { groupIds: Record<string, number> }).groupIds, demoTargetSeats(facts));
    await loadPublishedDemo(txViewOf<StoriesView>(tx), made.storyIds);
    await storytellerParts.demo(tx, facts);
    return made;
  },
  personalData: [
    {
      name: 'stories',
      label: 'Stories they told, with their photos, published versions, consents and notes',
      tables: ['stories', 'story_consents', 'story_notes', 'story_photos', 'story_publications'],
      export: (q, personId) => storiesOfPerson(storiesQ(q), personId),
      erase: async (q, personId) => void (await eraseStoriesOfPerson(storiesQ(q), personId)),
      retention: 'Kept while consent lasts (12 months, renewable); deleted STORIES_RETENTION_DAYS after it lapses or is withdrawn (or when never confirmed) by the daily stories job. Anonymous counts per constituency and month stay.',
    },
    ...storytellerParts.personalData,
  ],
});
