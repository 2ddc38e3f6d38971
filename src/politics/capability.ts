import { defineCapability, txViewOf, type TableHolds } from '../platform/index.ts';
import { loadPoliticsDemo } from './demo.ts';
import { politicsImporters } from './importers.ts';
import { politicsMigrations } from './migrations.ts';
import { registerPoliticsRoutes } from './routes.tsx';
import { targetAuditWords } from './targets/audit-words.ts';
import { loadTargetsDemo } from './targets/demo.ts';
import { registerPublicMapRoutes } from './targets/map-routes.tsx';
import { registerTargetRoutes } from './targets/routes.tsx';
import type { PoliticsTables, PoliticsView } from './tables.ts';
import { registerLetterAdminRoutes } from './letters/admin-routes.tsx';
import { letterAuditWords } from './letters/audit-words.ts';
import { loadLettersDemo } from './letters/demo.ts';
import { mpContactsImporter } from './letters/import-mp-contacts.ts';
import { letterActivity, letterCron, letterJobs, letterMailKinds, letterPersonalDataProviders, letterTables } from './letters/manifest.ts';
import { registerLetterRoutes } from './letters/public-routes.tsx';
import { letterSettings } from './letters/settings.ts';

/** Postcodes, constituencies, MPs, election results, the hex map and NHS trusts and ICBs (open reference data); target lists and candidates. */
export const politics = defineCapability({
  name: 'politics',
  dependsOn: ['coalition'],
  tables: {
    postcodes: 'none',
    constituencies: 'none',
    mps: 'none',
    constituency_hexes: 'none',
    nhs_organisations: 'none',
    target_lists: 'none',
    target_list_seats: 'none',
    target_politicians: 'none',
    candidates: 'none',
    ...letterTables,
  } satisfies Record<keyof PoliticsTables, TableHolds>,
  migrations: politicsMigrations,
  routes: {
    public: (app, ctx) => {
      registerPoliticsRoutes(app, ctx);
      registerPublicMapRoutes(app, ctx);
      registerLetterRoutes(app, ctx);
    },
    admin: (app, ctx) => {
      registerTargetRoutes(app, ctx);
      registerLetterAdminRoutes(app, ctx);
    },
  },
  publicNav: [
    { href: '/constituencies', label: 'Constituencies', order: 30 },
    { href: '/map', label: 'Map', order: 31 },
    { href: '/letters', label: 'Write to your MP', order: 25 },
  ],
  adminNav: [
    { href: '/admin/targets', label: 'Targets', order: 40, roles: ['admin', 'organiser', 'moderator'], description: 'Target lists of marginal seats and high-profile politicians, each seat’s campaign figures, the map and the opportunities for action.' },
    { href: '/admin/letters', label: 'Letters to MPs', order: 41, roles: ['admin', 'organiser', 'moderator'], description: 'Letter campaigns: supporters write to their MP in their own words; held letters to review, and how MPs reply.' },
  ],
  auditWords: { actions: { ...targetAuditWords.actions, ...letterAuditWords.actions }, subjects: { ...targetAuditWords.subjects, ...letterAuditWords.subjects } },
  jobs: letterJobs,
  cron: letterCron,
  settings: letterSettings,
  mailKinds: letterMailKinds,
  personalData: letterPersonalDataProviders,
  personActivity: letterActivity,
  demo: async (tx) => {
    const view = txViewOf<PoliticsView>(tx);
    const loaded = await loadPoliticsDemo(view);
    return { ...loaded, targets: await loadTargetsDemo(view), letters: await loadLettersDemo(view) };
  },
  importers: { ...politicsImporters, 'mp-contacts': mpContactsImporter },
});
