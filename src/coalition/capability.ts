import { defineCapability, txViewOf, type TableHolds } from '../platform/index.ts';
import { coalitionAuditWords } from './audit-words.ts';
import { coalitionMigrations } from './migrations.ts';
import { coalitionCron, coalitionJobs } from './jobs.ts';
import { loadCoalitionDemo } from './demo.ts';
import { registerCoalitionAdminRoutes, registerCoalitionHooks, registerCoalitionPublicRoutes } from './routes.tsx';
import type { CoalitionTables, CoalitionView } from './tables.ts';
import { coalitionSettings } from './settings.ts';

/** Groups, organisers and their roles, sign-in, the brand, and the audit log's pages. */
export const coalition = defineCapability({
  name: 'coalition',
  dependsOn: [],
  tables: {
    groups: 'none',
    organisers: 'organiser',
    organiser_groups: 'organiser',
    sessions: 'organiser',
    organiser_tokens: 'organiser',
    sign_in_failures: 'organiser',
    organiser_sign_in_addresses: 'organiser',
  } satisfies Record<keyof CoalitionTables, TableHolds>,
  migrations: coalitionMigrations,
  hooks: registerCoalitionHooks,
  routes: { public: registerCoalitionPublicRoutes, admin: registerCoalitionAdminRoutes },
  publicNav: [
    { href: '/', label: 'Home', order: 0 },
    { href: '/groups', label: 'Groups', order: 20 },
  ],
  mailKinds: {
    'organiser.invitation': 'Organiser invitation',
    'organiser.password-reset': 'Password reset',
    'organiser.sign-in-link': 'Sign-in link',
    'organiser.sign-in-attack': 'Sign-in attempts warning',
  },
  auditWords: coalitionAuditWords,
  adminNav: [
    { href: '/admin', label: 'Dashboard', order: 0, roles: ['admin', 'organiser', 'moderator'] },
    {
      href: '/admin/groups',
      label: 'Groups',
      order: 20,
      roles: ['admin', 'organiser'],
      description: (role) => (role === 'admin' ? 'Add, edit and delete member groups.' : 'Edit your groups’ public pages, or add a new group.'),
    },
    { href: '/admin/organisers', label: 'Organisers', order: 70, roles: ['admin'], description: 'Invite organisers, change their roles and groups, disable accounts.' },
    { href: '/admin/brand', label: 'Brand', order: 80, roles: ['admin'], description: 'The coalition’s name, logo and colours.' },
    { href: '/admin/audit', label: 'Audit log', order: 100, roles: ['admin'], description: 'Who changed what, and when.' },
    { href: '/admin/account', label: 'Your account', order: 1000, roles: ['admin', 'organiser', 'moderator'], description: 'Your details and password.' },
  ],
  jobs: coalitionJobs,
  cron: coalitionCron,
  demo: (tx) => loadCoalitionDemo(txViewOf<CoalitionView>(tx)),
  settings: coalitionSettings,
});
