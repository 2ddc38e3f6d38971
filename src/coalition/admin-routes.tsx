import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { Layout, Notice, countDashboardFigures, formatNumber, requireRole, roleLabel, usePage, type DashboardFigure, type NavLink } from '../platform/index.ts';
import { countCoalitionOverview } from './count-coalition-overview.ts';
import { groupIdsFor, listGroupPage, type Group } from './groups.ts';

interface DashboardProps {
  notice?: string | undefined;
  /** Today's figures, each within what the viewer may see, linking to the page behind it. */
  figures: DashboardFigure[];
  /** Group organisers' own groups. */
  groups?: Group[] | undefined;
  counts?: { groups: number; organisers: number; invited: number } | undefined;
}

function Dashboard({ notice, figures, groups, counts }: DashboardProps) {
  const page = usePage();
  const viewer = page.viewer!;
  const links: NavLink[] = page.adminNav.filter((l) => l.href !== '/admin');
  return (
    <Layout title="Organiser dashboard">
      {notice === 'password-set' ? <Notice>Your password has been saved.</Notice> : null}
      <h1>Organiser dashboard</h1>
      <p class="lead">
        Signed in as {viewer.name}, {roleLabel(viewer.role)}.
      </p>
      {figures.length > 0 ? (
        <section aria-labelledby="figures">
          <h2 id="figures" class="visually-hidden">
            At a glance
          </h2>
          <ul class="dashboard-figures">
            {figures.map((f) => (
              <li>
                <a href={f.href} class="dashboard-figure">
                  <span class="dashboard-figure__value">{formatNumber(f.value)}</span> <span class="dashboard-figure__label">{f.label}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {counts ? (
        <p>
          The coalition has {counts.groups} member {counts.groups === 1 ? 'group' : 'groups'} and {counts.organisers} organiser{' '}
          {counts.organisers === 1 ? 'account' : 'accounts'}
          {counts.invited > 0 ? `, ${counts.invited} of them invited but not signed in yet` : ''}.
        </p>
      ) : null}
      {groups ? (
        <section aria-labelledby="your-groups">
          <h2 id="your-groups">Your groups</h2>
          {groups.length === 0 ? (
            <p>You do not organise any groups yet. Add your group, or ask a coalition admin to add you to one.</p>
          ) : (
            <ul class="link-list">
              {groups.map((g) => (
                <li>
                  <a href={`/admin/groups/${g.id}`}>{g.name}</a> (<a href={`/groups/${g.slug}`}>public page</a>)
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/admin/groups/new">Add a group</a>
          </p>
        </section>
      ) : null}
      <h2>What you can do</h2>
      <ul class="dashboard-links">
        {links.map((l) => (
          <li>
            <a href={l.href}>{l.label}</a>
            {l.description ? <p class="hint">{l.description}</p> : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}


export function registerAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin', { preHandler: requireRole() }, async (request, reply) => {
    const viewer = request.viewer!;
    const notice = reply.takeNotice();
    const figures = await countDashboardFigures(ctx.db, viewer);
    if (viewer.role === 'admin') return reply.render(<Dashboard notice={notice} figures={figures} counts={await countCoalitionOverview(ctx.db)} />);
    if (viewer.role === 'organiser') {
      const { groups } = await listGroupPage(ctx.db, { only: await groupIdsFor(ctx.db, viewer), page: 1, perPage: 100 });
      return reply.render(<Dashboard notice={notice} figures={figures} groups={groups} />);
    }
    return reply.render(<Dashboard notice={notice} figures={figures} />);
  });
}
