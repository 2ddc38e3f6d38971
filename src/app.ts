import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { capabilities } from './capabilities.ts';
import type { AppContext } from './context.ts';
import type { AdminNavEntry } from './platform/capability.ts';
import { createHttpServer } from './platform/http/server.ts';
import { registerMailViewer } from './platform/mail/viewer-routes.tsx';
import { registerMediaRoutes } from './platform/media.ts';
import type { NavLink, Viewer } from './platform/web/context.ts';
import { ErrorPage } from './platform/web/error-page.tsx';

export const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** Platform areas every admin has, beside the capabilities' own. */
const platformAdminNav: AdminNavEntry[] = [
  { href: '/admin/mail', label: 'Mail', order: 110, roles: ['admin'], description: 'Email Chorus has sent, or kept when no mail server is set up.' },
];

const publicNav: NavLink[] = capabilities
  .flatMap((c) => c.publicNav ?? [])
  .sort((a, b) => a.order - b.order)
  .map(({ href, label }) => ({ href, label }));

/** Every capability's kinds of email, in words, for the mail viewer. */
const mailKinds: Record<string, string> = Object.assign({}, ...capabilities.map((c) => c.mailKinds ?? {}));

const adminEntries: AdminNavEntry[] = [...capabilities.flatMap((c) => c.adminNav ?? []), ...platformAdminNav].sort((a, b) => a.order - b.order);

/** The organiser's menu: the areas their role may use, each with what it is for. */
function adminNav(viewer: Viewer | null): NavLink[] {
  if (!viewer) return [];
  return adminEntries
    .filter((e) => e.roles.includes(viewer.role))
    .map((e) => ({ href: e.href, label: e.label, description: typeof e.description === 'function' ? e.description(viewer.role) : e.description }));
}

/** Builds the HTTP app: the platform's plumbing, then each capability's routes. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = await createHttpServer({
    logLevel: ctx.config.LOG_LEVEL,
    trustProxy: ctx.config.TRUST_PROXY,
    baseUrl: ctx.config.BASE_URL,
    secret: ctx.secret,
    publicDir,
    errorPage: (_request, _reply, status, message) => ErrorPage({ status, message }),
    checkDatabase: () => sql`select 1`.execute(ctx.db),
    buildPageContext: (request, reply, asset) => {
      let token: string | undefined;
      return {
        brand: ctx.brand.current(),
        viewer: request.viewer,
        path: (request.url.split('?')[0] ?? '/').replace(/\/+$/, '') || '/',
        csrfToken: () => (token ??= reply.generateCsrf()),
        asset,
        publicNav,
        adminNav: adminNav(request.viewer),
        baseUrl: ctx.config.BASE_URL.replace(/\/+$/, ''),
      };
    },
  });

  for (const c of capabilities) c.hooks?.(app, ctx);
  registerMediaRoutes(app, ctx.db);
  registerMailViewer(app, ctx.db, ctx.mailer.configured, mailKinds);
  for (const c of capabilities) {
    c.routes?.public?.(app, ctx);
    c.routes?.admin?.(app, ctx);
    c.routes?.api?.(app, ctx);
  }
  return app;
}
