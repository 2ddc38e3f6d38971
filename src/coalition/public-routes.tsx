import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { Layout, groupSections, homeSections, notFound, parseParams, usePage } from '../platform/index.ts';
import { findGroupBySlug, listGroups, type Group } from './groups.ts';

function GroupCard({ group }: { group: Group }) {
  return (
    <li class="card">
      {group.logoUrl ? <img class="card__logo" src={group.logoUrl} alt="" width={64} height={64} /> : null}
      <h3 class="card__title">
        <a href={`/groups/${group.slug}`}>{group.name}</a>
      </h3>
      <p class="card__text">{firstSentence(group.description)}</p>
      <ul class="card__links">
        <li>
          <a href={`/groups/${group.slug}`}>
            Petitions and news<span class="visually-hidden"> from {group.name}</span>
          </a>
        </li>
        <li>
          <a href={`/groups/${group.slug}/subscribe`}>
            Get updates<span class="visually-hidden"> from {group.name}</span>
          </a>
        </li>
      </ul>
    </li>
  );
}

function firstSentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= 160) return trimmed;
  return `${trimmed.slice(0, 157).replace(/\s+\S*$/, '')}…`;
}

/**
 * The campaign's front page: what supporters can do now, from every capability's sections (open
 * petitions with a Sign button, Join; upcoming events and latest posts when those capabilities
 * add theirs), then the member groups.
 */
function HomePage({ groups, sections }: { groups: Group[]; sections: VNode[] }) {
  const { brand } = usePage();
  return (
    <Layout title={brand.name} share={{ path: '/', description: brand.tagline.trim() || `${brand.name}: petitions and campaigns from its member groups.` }}>
      <div class="hero">
        {brand.logoUrl ? <img class="hero__logo" src={brand.logoUrl} alt="" width={96} height={96} /> : null}
        <h1 class="hero__title">{brand.name}</h1>
        <p class="lead">{brand.tagline}</p>
      </div>
      {sections}
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">Member groups</h2>
        {groups.length === 0 ? (
          <p>No member groups have joined yet.</p>
        ) : (
          <ul class="card-list">
            {groups.map((g) => (
              <GroupCard group={g} />
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

function GroupsPage({ groups }: { groups: Group[] }) {
  const { brand } = usePage();
  return (
    <Layout title="Member groups" share={{ path: '/groups', description: `The campaigns that make up ${brand.name}.` }}>
      <h1>Member groups</h1>
      <p class="lead">The campaigns that make up the coalition.</p>
      <ul class="card-list">
        {groups.map((g) => (
          <GroupCard group={g} />
        ))}
      </ul>
    </Layout>
  );
}

/** A member group's page: who they are, then their sections (their open petitions, their subscribe form). */
function GroupPage({ group, sections }: { group: Group; sections: VNode[] }) {
  const { brand } = usePage();
  const description = firstSentence(group.description.replace(/\s+/g, ' ')) || `${group.name}, a member group of ${brand.name}.`;
  return (
    <Layout title={group.name} breadcrumbs={[{ href: '/groups', label: 'Member groups' }]} share={{ path: `/groups/${group.slug}`, description }}>
      <div class="group-header">
        {group.logoUrl ? <img class="group-header__logo" src={group.logoUrl} alt={`${group.name} logo`} width={96} height={96} /> : null}
        <h1>{group.name}</h1>
      </div>
      {group.description
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((paragraph) => (
          <p>{paragraph}</p>
        ))}
      <dl class="summary-list">
        {group.website ? (
          <div class="summary-list__row">
            <dt>Website</dt>
            <dd>
              <a href={group.website} rel="noopener">
                {group.website.replace(/^https?:\/\//, '').replace(/\/$/, '')}
              </a>
            </dd>
          </div>
        ) : null}
        {group.contactEmail ? (
          <div class="summary-list__row">
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${group.contactEmail}`}>{group.contactEmail}</a>
            </dd>
          </div>
        ) : null}
      </dl>
      {sections}
    </Layout>
  );
}

function PrivacyPage() {
  const { brand } = usePage();
  return (
    <Layout title="Privacy">
      <h1>Privacy</h1>
      <p>
        {brand.name} keeps only what an action needs: for example your name, email address and postcode when you sign a petition. We
        record the exact words you agreed to when you ask to hear from us, and you can withdraw at any time.
      </p>
      <p>This site sets no tracking or advertising cookies and loads nothing from other companies. Our visitor counts are anonymous.</p>
      <p>
        Cookies we do set are strictly necessary: one that protects forms from forgery, and, for organisers only, one that keeps them
        signed in.
      </p>
      <p>You can ask for a copy of what we hold about you, or ask us to erase it, by writing to the coalition.</p>
    </Layout>
  );
}

function AccessibilityPage() {
  const { brand } = usePage();
  return (
    <Layout title="Accessibility">
      <h1>Accessibility statement</h1>
      <p>
        We want as many people as possible to be able to use {brand.name}. We aim to meet the Web Content Accessibility Guidelines
        (WCAG) 2.2 at level AA.
      </p>
      <ul>
        <li>Every page works without JavaScript.</li>
        <li>You can use the site with a keyboard, a screen reader or speech recognition, and zoom to 400% without losing content.</li>
        <li>Charts and maps come with a table of the same figures.</li>
      </ul>
      <p>Each release is checked with automated accessibility tests. If something does not work for you, please tell us.</p>
    </Layout>
  );
}

const groupPageParams = z.object({ slug: z.string() });

export function registerPublicRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/', async (_request, reply) => {
    const [groups, sections] = await Promise.all([listGroups(ctx.db), homeSections({ db: ctx.db, brand: await ctx.brand.get() })]);
    return reply.render(<HomePage groups={groups} sections={sections} />);
  });
  app.get('/groups', async (_request, reply) => reply.render(<GroupsPage groups={await listGroups(ctx.db)} />));
  app.get('/groups/:slug', async (request, reply) => {
    const group = await findGroupBySlug(ctx.db, parseParams(groupPageParams, request.params, 'group').slug);
    if (!group) throw notFound('group');
    const sections = await groupSections({ db: ctx.db, brand: await ctx.brand.get() }, group);
    return reply.render(<GroupPage group={group} sections={sections} />);
  });
  app.get('/privacy', async (_request, reply) => reply.render(<PrivacyPage />));
  app.get('/accessibility', async (_request, reply) => reply.render(<AccessibilityPage />));
}
