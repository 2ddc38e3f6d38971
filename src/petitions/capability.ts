import { defineCapability, txViewOf, type TableHolds } from '../platform/index.ts';
import { petitionAuditWords } from './audit-words.ts';
import { registerPetitionAdminRoutes } from './admin-routes.tsx';
import { petitionDashboardFigures } from './dashboard-figures.ts';
import { loadPetitionDemo } from './demo.ts';
import { petitionCron, petitionJobs, petitionTickers } from './jobs.ts';
import { petitionMigrations } from './migrations.ts';
import { petitionSections } from './public/page-sections.tsx';
import { registerPetitionPublicRoutes } from './public-routes.tsx';
import { eraseSignaturesOfPerson, signaturesOfPerson } from './signers.ts';
import { petitionsQ, type PetitionTables, type PetitionsView } from './tables.ts';
import { petitionSettings } from './settings.ts';

/** What the coalition's demo loader hands on: its groups' ids by slug. */
interface CoalitionDemoFacts {
  groupIds: Record<string, number>;
}

/** Petitions, signatures, counts, thresholds, moderation and the petition JSON. */
export const petitions = defineCapability({
  name: 'petitions',
  dependsOn: ['coalition', 'politics'],
  tables: {
    petitions: 'none',
    petition_groups: 'none',
    petition_milestones: 'none',
    signature_consent_texts: 'none',
    signatures: 'supporter',
    petition_counts: 'none',
    petition_challenges_spent: 'none',
    petition_close_agreements: 'organiser',
  } satisfies Record<keyof PetitionTables, TableHolds>,
  migrations: petitionMigrations,
  routes: { public: registerPetitionPublicRoutes, admin: registerPetitionAdminRoutes },
  publicNav: [{ href: '/petitions', label: 'Petitions', order: 10 }],
  mailKinds: { 'petitions.signature.confirmation': 'Signature confirmation' },
  auditWords: petitionAuditWords,
  pageSections: petitionSections,
  adminNav: [
    { href: '/admin/petitions', label: 'Petitions', order: 10, roles: ['admin', 'organiser', 'moderator'], description: 'Start, edit and follow petitions.' },
    { href: '/admin/moderation', label: 'Moderation', order: 60, roles: ['admin', 'moderator'], description: 'Check petitions and contributions waiting for review.' },
    { href: '/admin/petitions/settings', label: 'Petition settings', order: 65, roles: ['admin'], description: 'Who may approve their own petitions, and which groups’ organisers see every signer.' },
  ],
  dashboardFigures: petitionDashboardFigures,
  jobs: petitionJobs,
  cron: petitionCron,
  tickers: petitionTickers,
  demo: (tx, facts) => loadPetitionDemo(txViewOf<PetitionsView>(tx), (facts.coalition as CoalitionDemoFacts).groupIds),
  settings: petitionSettings,
  personalData: [
    {
      name: 'petition-signatures',
      label: 'Petition signatures',
      tables: ['signatures'],
      export: (q, personId) => signaturesOfPerson(petitionsQ(q), personId),
      erase: async (q, personId) => void (await eraseSignaturesOfPerson(petitionsQ(q), personId)),
      retention: 'Signatures nobody confirmed are deleted after UNCONFIRMED_SIGNATURE_DAYS (14 days unless set) by an hourly job. The name, email, postcode, address and referring page of confirmed ones are erased the months set below after their petition closes; the counts stay.',
    },
  ],
});
