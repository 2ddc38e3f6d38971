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
  } satisfies Record<keyof PoliticsTables, TableHolds>,
  migrations: politicsMigrations,
  routes: {
    public: (app, ctx) => {
      registerPoliticsRoutes(app, ctx);
      registerPublicMapRoutes(app, ctx);
    },
    admin: registerTargetRoutes,
  },
  publicNav: [
    { href: '/constituencies', label: 'Constituencies', order: 30 },
    { href: '/map', label: 'Map', order: 31 },
  ],
  adminNav: [{ href: '/admin/targets', label: 'Targets', order: 40, roles: ['admin', 'organiser', 'moderator'], description: 'Target lists of marginal seats and high-profile politicians, each seat’s campaign figures, the map and the opportunities for action.' }],
  auditWords: targetAuditWords,
  demo: async (tx) => {
    const view = txViewOf<PoliticsView>(tx);
    const loaded = await loadPoliticsDemo(view);
    return { ...loaded, targets: await loadTargetsDemo(view) };
  },
  importers: politicsImporters,
});
