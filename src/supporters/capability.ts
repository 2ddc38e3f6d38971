import { defineCapability, txViewOf, type Handle, type TableHolds } from '../platform/index.ts';
import { supporterAuditWords } from './audit-words.ts';
import { supporterDashboardFigures } from './dashboard-figures.ts';
import { mailingCron, mailingJobs, mailingTickers } from './mailings/jobs.ts';
import { supporterMigrations } from './migrations.ts';
import { peopleCron, peopleJobs, peopleTickers } from './people-jobs.ts';
import { registerSupporterAdminRoutes, registerSupporterPublicRoutes } from './routes.tsx';
import { peopleImporter } from './imports/import-cli.ts';
import { hearsFromGroups } from './live-consents.ts';
import { importCron, importJobs, importTickers } from './imports/jobs.ts';
import { eraseSupporterData, exportSupporterData } from './supporter-data.ts';
import { supportersQ, type SupporterTables, type SupportersView } from './tables.ts';
import { supporterSettings } from './settings.ts';
import { loadSupporterDemo } from './demo.ts';
import { signUpSections } from './signup-sections.tsx';

/** People, consent, tags, lists, segments, imports, mailings and supporters' rights. */
export const supporters = defineCapability({
  name: 'supporters',
  dependsOn: ['coalition', 'politics', 'petitions'],
  tables: {
    people: 'supporter',
    person_groups: 'supporter',
    person_actions: 'supporter',
    consent_purposes: 'none',
    consent_wordings: 'none',
    consents: 'supporter',
    consent_events: 'supporter',
    tags: 'none',
    taggings: 'supporter',
    lists: 'none',
    list_members: 'supporter',
    segments: 'none',
    people_imports: 'none',
    mailings: 'none',
    mailing_recipients: 'supporter',
    mailing_links: 'none',
    link_clicks: 'supporter',
  } satisfies Record<keyof SupporterTables, TableHolds>,
  migrations: supporterMigrations,
  routes: { public: registerSupporterPublicRoutes, admin: registerSupporterAdminRoutes },
  mailKinds: {
    'supporters.signup.confirmation': 'Sign-up confirmation',
    'supporters.signup.already-subscribed': 'Already signed up',
    'supporters.mailing': 'Mailing',
    'supporters.mailing.test': 'Test of a mailing',
  },
  auditWords: supporterAuditWords,
  publicNav: [{ href: '/join', label: 'Join', order: 90 }],
  pageSections: signUpSections,
  adminNav: [
    { href: '/admin/people', label: 'People', order: 30, roles: ['admin', 'organiser'], description: 'Find supporters, see their consent and history, merge duplicates, answer rights requests.' },
    { href: '/admin/segments', label: 'Segments', order: 40, roles: ['admin', 'organiser'], description: 'Tags, lists, saved segments, imports and exports of people.' },
    { href: '/admin/mailings', label: 'Mailings', order: 50, roles: ['admin', 'organiser'], description: 'Write, test and send email to supporters who agreed to hear from you.' },
  ],
  dashboardFigures: supporterDashboardFigures,
  jobs: [...peopleJobs, ...importJobs, ...mailingJobs],
  cron: [...peopleCron, ...importCron, ...mailingCron],
  tickers: (ctx) => [...peopleTickers(ctx), ...importTickers(ctx), ...mailingTickers(ctx)],
  demo: (tx, facts) => loadSupporterDemo(txViewOf<SupportersView>(tx), facts),
  importers: { people: peopleImporter },
  settings: supporterSettings,
  hearsFrom: hearsFromGroups,
  personalData: [
    {
      name: 'supporter',
      label: 'Supporters',
      tables: ['people', 'person_groups', 'person_actions', 'consents', 'consent_events', 'taggings', 'list_members', 'mailing_recipients', 'link_clicks'],
      export: (q: Handle, personId) => exportSupporterData(supportersQ(q), personId),
      erase: (q: Handle, personId) => eraseSupporterData(supportersQ(q), personId),
      retention: 'A supporter is kept while they have a live consent or keep taking part; with neither for the months of inactivity set below they are erased, with their tags, list places, mailing recipients and clicks. Sign-ups never confirmed go after the days set below.',
      eraseLast: true,
    },
  ],
});
