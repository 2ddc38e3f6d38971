import { defineCapability, type TableHolds } from '../platform/index.ts';
import { registerLinkAdminRoutes } from './admin/link-admin-routes.tsx';
import { libraryAuditWords } from './audit-words.ts';
import { loadLibraryDemo } from './demo.ts';
import { linksImporter } from './import-links.ts';
import { libraryMigrations } from './migrations.ts';
import { registerLinkPublicRoutes } from './public/routes.tsx';
import type { AppContext, LibraryTables } from './tables.ts';

/** The library: news links ("info links"), searchable at /links with a feed; publications, posts and the contact form are to come. */
export const library = defineCapability({
  name: 'library',
  dependsOn: ['coalition', 'politics', 'supporters'],
  tables: {
    links: 'organiser',
  } satisfies Record<keyof LibraryTables, TableHolds>,
  migrations: libraryMigrations,
  routes: {
    public: (app, ctx) => registerLinkPublicRoutes(app, ctx as AppContext),
    admin: (app, ctx) => registerLinkAdminRoutes(app, ctx as AppContext),
  },
  importers: { links: linksImporter },
  auditWords: libraryAuditWords,
  publicNav: [{ href: '/links', label: 'News links', order: 45 }],
  adminNav: [{ href: '/admin/links', label: 'News links', order: 45, roles: ['admin', 'organiser', 'moderator'], description: 'Links to news on other websites, searchable by the public.' }],
  demo: (tx, facts) => loadLibraryDemo(tx, (facts.coalition as { groupIds: Record<string, number> }).groupIds),
});
