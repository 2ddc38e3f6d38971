import type { FastifyInstance } from 'fastify';
import { txViewOf, type ViewTx } from '../../platform/index.ts';
import { demoTargetSeats } from '../../politics/index.ts';
import { activeKeyRing } from '../story-keys.ts';
import type { AppContext, StoriesView } from '../tables.ts';
import { storytellerAuditWords } from './audit-words.ts';
import { loadStorytellerDemo } from './demo.ts';
import { storytellerPersonalData } from './personal-data.ts';
import { registerStorytellerRoutes } from './routes.tsx';
import { storytellerTableHolds } from './tables.ts';

/**
 * The storyteller pipeline's parts of the stories manifest, in one place so that the manifest
 * only spreads them in: tables, routes, navigation, audit and mail words, personal data, demo.
 */
export const storytellerParts = {
  tables: storytellerTableHolds,
  routes: (app: FastifyInstance, ctx: AppContext) => registerStorytellerRoutes(app, ctx),
  adminNav: [
    { href: '/admin/storytellers', label: 'Storytellers', order: 32, roles: ['admin', 'organiser', 'moderator'] as const, description: 'People preparing to speak about their experience: from first contact, through training, to speaking.' },
    { href: '/admin/opportunities', label: 'Requests to speak', order: 33, roles: ['admin', 'organiser', 'moderator'] as const, description: 'Requests from the press and politicians’ offices, matched to ready storytellers.' },
  ],
  auditWords: storytellerAuditWords,
  mailKinds: { 'stories.storyteller.ask': 'A request to speak (yes or no links)' },
  personalData: storytellerPersonalData,
  demo: (tx: ViewTx<Record<never, never>>, facts: Readonly<Record<string, unknown>>) => loadStorytellerDemo(txViewOf<StoriesView>(tx), activeKeyRing(), Object.values((facts.coalition as { groupIds: Record<string, number> } | undefined)?.groupIds ?? {}), demoTargetSeats(facts)),
};
