import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { brandCss } from './coalition/brand.ts';
import { registerCoalitionRoutes, registerSessionHook } from './coalition/routes.tsx';
import type { AppContext } from './context.ts';
import { createHttpServer } from './platform/http/server.ts';
import { registerMailViewer } from './platform/mail/viewer-routes.tsx';
import { registerMediaRoutes } from './platform/media.ts';
import type { NavLink, Viewer } from './platform/web/context.ts';
import { ErrorPage } from './platform/web/error-page.tsx';
import { registerPetitionRoutes } from './petitions/routes.tsx';
import { registerPoliticsRoutes } from './politics/routes.tsx';
import { registerSupporterRoutes } from './supporters/routes.tsx';
import { registerApiRoutes } from './api/routes.ts';

export const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');

const publicNav: NavLink[] = [
  { href: '/', label: 'Home' },
  { href: '/petitions', label: 'Petitions' },
  { href: '/groups', label: 'Groups' },
  { href: '/constituencies', label: 'Constituencies' },
];

function adminNav(viewer: Viewer | null): NavLink[] {
  if (!viewer) return [];
  const links: NavLink[] = [
    { href: '/admin', label: 'Dashboard' },
    { href: '/admin/petitions', label: 'Petitions' },
  ];
  if (viewer.role === 'admin' || viewer.role === 'organiser') {
    links.push(
      { href: '/admin/groups', label: 'Groups' },
      { href: '/admin/people', label: 'People' },
      { href: '/admin/segments', label: 'Segments' },
      { href: '/admin/mailings', label: 'Mailings' },
    );
  }
  if (viewer.role === 'admin' || viewer.role === 'moderator') links.push({ href: '/admin/moderation', label: 'Moderation' });
  if (viewer.role === 'admin') {
    links.push(
      { href: '/admin/organisers', label: 'Organisers' },
      { href: '/admin/brand', label: 'Brand' },
      { href: '/admin/api', label: 'API and webhooks' },
      { href: '/admin/audit', label: 'Audit log' },
      { href: '/admin/mail', label: 'Mail' },
    );
  }
  links.push({ href: '/admin/account', label: 'Your account' });
  return links;
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
      };
    },
  });

  // Pages render synchronously, so the brand is loaded (at most every 2 s) before each request.
  app.addHook('onRequest', async () => {
    await ctx.brand.get();
  });
  registerSessionHook(app, ctx);

  app.get('/brand.css', async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(brandCss(await ctx.brand.get())),
  );

  registerMediaRoutes(app, ctx.db);
  registerMailViewer(app, ctx.db, ctx.mailer.configured);
  registerCoalitionRoutes(app, ctx);
  registerPoliticsRoutes(app, ctx);
  registerPetitionRoutes(app, ctx);
  registerSupporterRoutes(app, ctx);
  registerApiRoutes(app, ctx);
  return app;
}
