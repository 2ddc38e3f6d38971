import { defineCapability, txViewOf, type TableHolds } from '../platform/index.ts';
import { loadPoliticsDemo } from './demo.ts';
import { politicsImporters } from './importers.ts';
import { politicsMigrations } from './migrations.ts';
import { registerPoliticsRoutes } from './routes.tsx';
import type { PoliticsTables, PoliticsView } from './tables.ts';

/** Postcodes, constituencies, MPs, election results, the hex map and NHS trusts and ICBs (open reference data). */
export const politics = defineCapability({
  name: 'politics',
  dependsOn: [],
  tables: {
    postcodes: 'none',
    constituencies: 'none',
    mps: 'none',
    constituency_hexes: 'none',
    nhs_organisations: 'none',
  } satisfies Record<keyof PoliticsTables, TableHolds>,
  migrations: politicsMigrations,
  routes: { public: registerPoliticsRoutes },
  publicNav: [{ href: '/constituencies', label: 'Constituencies', order: 30 }],
  demo: (tx) => loadPoliticsDemo(txViewOf<PoliticsView>(tx)),
  importers: politicsImporters,
});
