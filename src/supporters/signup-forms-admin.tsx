import type { FastifyInstance } from 'fastify';
import { listGroups, type Group } from '../coalition/index.ts';
import type { AppContext } from './tables.ts';
import { Layout } from '../platform/index.ts';
import { isAdmin, organisersOnly, scopeOf } from './access.ts';
import { peopleCrumbs } from './people-views.tsx';

/** The HTML a group pastes into its own website to show our sign-up form. */
export function embedCode(baseUrl: string, group: Group): string {
  const title = `Get updates from ${group.name}`.replace(/"/g, '&quot;');
  return `<iframe src="${baseUrl}/embed/subscribe/${group.slug}" title="${title}" width="100%" height="720" style="border:0;max-width:40rem" loading="lazy"></iframe>`;
}

function SignUpFormsPage({ baseUrl, groups, showJoin }: { baseUrl: string; groups: Group[]; showJoin: boolean }) {
  return (
    <Layout title="Sign-up forms" breadcrumbs={peopleCrumbs} wide>
      <h1>Sign-up forms</h1>
      <p>Share these links, or put the form on your own website. Everyone who signs up confirms by email before we write to them.</p>
      <p>
        Add <code>?utm_source=…&amp;utm_campaign=…</code> to a link to see where sign-ups came from.
      </p>
      {showJoin ? (
        <>
          <h2>Join the coalition</h2>
          <p>
            <a href={`${baseUrl}/join`}>{`${baseUrl}/join`}</a>
          </p>
        </>
      ) : null}
      {groups.map((group, index) => {
        const code = embedCode(baseUrl, group);
        const status = `embed-status-${index + 1}`;
        return (
          <section aria-labelledby={`group-${group.slug}`}>
            <h2 id={`group-${group.slug}`}>{group.name}</h2>
            <p>
              Sign-up page: <a href={`${baseUrl}/groups/${group.slug}/subscribe`}>{`${baseUrl}/groups/${group.slug}/subscribe`}</a>
            </p>
            <p id={`embed-hint-${index + 1}`}>To show the form on your own site, copy this code into a page:</p>
            <pre class="embed-code" aria-describedby={`embed-hint-${index + 1}`}>
              <code>{code}</code>
            </pre>
            <button type="button" class="button button--secondary button--small" data-copy={code} aria-controls={status} hidden>
              Copy the code<span class="visually-hidden"> for {group.name}</span>
            </button>
            <span id={status} role="status" class="copy-status"></span>
          </section>
        );
      })}
    </Layout>
  );
}

export function registerSignUpFormAdmin(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/people/forms', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const all = await listGroups(ctx.db);
    const groups = scope.groupIds === 'all' ? all : all.filter((g) => (scope.groupIds as number[]).includes(g.id));
    return reply.render(<SignUpFormsPage baseUrl={ctx.config.BASE_URL} groups={groups} showJoin={isAdmin(scope)} />);
  });
}
