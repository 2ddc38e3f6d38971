import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { registerExportRoutes } from './admin/export-routes.tsx';
import { registerModerationRoutes } from './admin/moderation-routes.tsx';
import { registerOutcomeRoutes } from './admin/outcome-routes.tsx';
import { registerPetitionManagementRoutes } from './admin/petition-routes.tsx';
import { registerProtectionRoutes } from './admin/protection-routes.tsx';
import { registerPetitionSettingsRoutes } from './admin/settings-routes.tsx';

/** Organisers' petition pages: create, edit, lifecycle, moderation, outcomes, invalidation, exports, settings. */
export function registerPetitionAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  registerPetitionManagementRoutes(app, ctx);
  registerModerationRoutes(app, ctx);
  registerOutcomeRoutes(app, ctx);
  registerProtectionRoutes(app, ctx);
  registerExportRoutes(app, ctx);
  registerPetitionSettingsRoutes(app, ctx);
}
