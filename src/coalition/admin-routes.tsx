import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { requireRole } from '../platform/http/guards.ts';
import { Notice } from '../platform/web/components.tsx';
import { usePage } from '../platform/web/context.ts';
import { Layout } from '../platform/web/layout.tsx';

function Dashboard({ notice }: { notice?: string }) {
  const page = usePage();
  return (
    <Layout title="Organiser dashboard">
      {notice === 'password-set' ? <Notice>Your password has been saved.</Notice> : null}
      <h1>Organiser dashboard</h1>
      <ul class="link-list">
        {page.adminNav
          .filter((l) => l.href !== '/admin')
          .map((l) => (
            <li>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
      </ul>
    </Layout>
  );
}

export function registerAdminRoutes(app: FastifyInstance, _ctx: AppContext) {
  app.get('/admin', { preHandler: requireRole() }, async (request, reply) =>
    reply.render(<Dashboard notice={(request.query as { notice?: string }).notice} />),
  );
}
