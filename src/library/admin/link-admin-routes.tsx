import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listGroups, type Group } from '../../coalition/index.ts';
import { regionNames } from '../../politics/index.ts';
import { fieldErrorsOf, formList, formValues, pageCount, pageFrom, parseForm, parseParams, requireRole, viewerOf, type FieldErrors, type FormValues, type Viewer } from '../../platform/index.ts';
import { canonicalUrl, parseWebAddress } from '../canonical-url.ts';
import { fetchLinkPreview, previewFailureWords } from '../fetch-link-preview.ts';
import { linkGroupsOf, linkToManage } from '../link-access.ts';
import { linkFormSchema, linkFormValues, linkInputOf, webAddress } from '../link-form.ts';
import { addLink, deleteLink, editLink } from '../save-link.ts';
import { findLinkByCanonicalUrl, listLinksForAdmin, type Link } from '../store.ts';
import type { AppContext } from '../tables.ts';
import { DeleteLinkPage, LinkAddressPage, LinkAdminListPage, LinkFormPage, linkAdminPath, type LinkFormPageProps } from './link-admin-views.tsx';

const PER_PAGE = 50;
const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const addressForm = z.object({ url: webAddress });
const DUPLICATE = 'This link is already in the library';

/** The page's own canonical address, carried from the preview in a hidden field (only a web address counts). */
const canonicalFrom = (body: unknown): string | undefined => {
  const v = formValues(body).canonical;
  const url = v ? parseWebAddress(v) : null;
  return url ? url.href : undefined;
};

/** The organisers' news-link pages: list, add (paste an address, or type it all), change, delete. */
export function registerLinkAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const anyone = { preHandler: requireRole('admin', 'organiser', 'moderator') };
  const makers = { preHandler: requireRole('admin', 'organiser') };
  const allowHosts = ctx.config.OUTBOUND_ALLOW_HOSTS ?? [];

  async function groupsFor(viewer: Viewer): Promise<Group[]> {
    const allowed = await linkGroupsOf(ctx.db, viewer);
    const groups = await listGroups(ctx.db);
    return viewer.role === 'admin' || allowed === 'all' ? groups : groups.filter((g) => allowed.includes(g.id));
  }

  async function renderForm(request: FastifyRequest, reply: FastifyReply, props: Omit<LinkFormPageProps, 'groups' | 'regions' | 'mayUseCoalition'>, status = 200) {
    const viewer = viewerOf(request);
    const [groups, regions] = await Promise.all([groupsFor(viewer), regionNames(ctx.db)]);
    const values = { ...props.values };
    if (!props.link && values.group === undefined && viewer.role !== 'admin' && groups.length > 0) values.group = String(groups[0]!.id);
    return reply.render(<LinkFormPage {...props} values={values} groups={groups} regions={[...regions].map(([value, label]) => ({ value, label }))} mayUseCoalition={viewer.role === 'admin'} />, status);
  }

  const duplicateErrors = (field = 'url'): FieldErrors => ({ [field]: DUPLICATE });

  app.get('/admin/links', anyone, async (request, reply) => {
    const viewer = viewerOf(request);
    const groupIds = await linkGroupsOf(ctx.db, viewer);
    const page = pageFrom(request.query);
    const { links, total } = await listLinksForAdmin(ctx.db, { groupIds, page, perPage: PER_PAGE });
    const groupNames = new Map((await listGroups(ctx.db)).map((g) => [g.id, g.name]));
    return reply.render(<LinkAdminListPage links={links} total={total} page={page} totalPages={pageCount(total, PER_PAGE)} canAdd={viewer.role !== 'moderator'} ownGroupsOnly={groupIds !== 'all'} notice={reply.takeNotice()} groupNames={groupNames} />);
  });

  app.get('/admin/links/new', makers, async (_request, reply) => reply.render(<LinkAddressPage values={{}} />));

  app.get('/admin/links/new/details', makers, async (request, reply) => renderForm(request, reply, { values: {}, regionsSelected: [] }));

  app.post('/admin/links/new/fetch', makers, async (request, reply) => {
    const form = parseForm(addressForm, request.body);
    if (!form.ok) return reply.render(<LinkAddressPage values={form.values} errors={form.errors} />, 422);
    const address = form.value.url;
    const known = await findLinkByCanonicalUrl(ctx.db, canonicalUrl(address));
    if (known) return reply.render(<LinkAddressPage values={{ url: address }} errors={duplicateErrors()} duplicateOf={known} />, 409);
    const preview = await fetchLinkPreview(address, allowHosts);
    if (!preview.ok) return renderForm(request, reply, { values: { url: address }, regionsSelected: [], fetchProblem: previewFailureWords[preview.reason] });
    const m = preview.metadata;
    if (m.canonical) {
      const same = await findLinkByCanonicalUrl(ctx.db, canonicalUrl(m.canonical));
      if (same) return reply.render(<LinkAddressPage values={{ url: address }} errors={duplicateErrors()} duplicateOf={same} />, 409);
    }
    const values: FormValues = { url: address, canonical: m.canonical ?? '', title: m.title ?? '', source: m.source ?? new URL(preview.finalUrl).hostname.replace(/^www\./, ''), published_on: m.publishedOn ?? '', summary: m.summary ?? '' };
    return renderForm(request, reply, { values, regionsSelected: [], fetched: true });
  });

  app.post('/admin/links/new', makers, async (request, reply) => {
    const regionsSelected = formList(request.body, 'regions');
    const form = parseForm(linkFormSchema, request.body);
    if (!form.ok) return renderForm(request, reply, { values: { ...form.values, canonical: canonicalFrom(request.body) ?? '' }, regionsSelected, errors: form.errors }, 422);
    try {
      const outcome = await ctx.db.transaction().execute((tx) => addLink(tx, viewerOf(request), linkInputOf(form.value), { canonical: canonicalFrom(request.body) }));
      if (!outcome.ok) return renderForm(request, reply, { values: formValues(request.body), regionsSelected, errors: duplicateErrors(), duplicateOf: outcome.duplicateOf }, 409);
      return reply.redirectWithNotice('/admin/links', 'created');
    } catch (error) {
      return renderForm(request, reply, { values: formValues(request.body), regionsSelected, errors: fieldErrorsOf(error) }, 422);
    }
  });

  const linkOf = async (request: FastifyRequest): Promise<Link> => linkToManage(ctx.db, viewerOf(request), parseParams(idParams, request.params, 'link').id);

  app.get('/admin/links/:id/edit', makers, async (request, reply) => {
    const link = await linkOf(request);
    return renderForm(request, reply, { link, values: linkFormValues(link), regionsSelected: link.regionCodes });
  });

  app.post('/admin/links/:id/edit', makers, async (request, reply) => {
    const link = await linkOf(request);
    const regionsSelected = formList(request.body, 'regions');
    const form = parseForm(linkFormSchema, request.body);
    if (!form.ok) return renderForm(request, reply, { link, values: form.values, regionsSelected, errors: form.errors }, 422);
    try {
      const outcome = await ctx.db.transaction().execute((tx) => editLink(tx, viewerOf(request), link.id, linkInputOf(form.value)));
      if (!outcome.ok) return renderForm(request, reply, { link, values: formValues(request.body), regionsSelected, errors: duplicateErrors(), duplicateOf: outcome.duplicateOf }, 409);
      return reply.redirectWithNotice('/admin/links', 'updated');
    } catch (error) {
      return renderForm(request, reply, { link, values: formValues(request.body), regionsSelected, errors: fieldErrorsOf(error) }, 422);
    }
  });

  app.get('/admin/links/:id/delete', makers, async (request, reply) => reply.render(<DeleteLinkPage link={await linkOf(request)} />));

  app.post('/admin/links/:id/delete', makers, async (request, reply) => {
    const link = await linkOf(request);
    await ctx.db.transaction().execute((tx) => deleteLink(tx, viewerOf(request), link.id));
    return reply.redirectWithNotice('/admin/links', 'deleted');
  });
}

export { linkAdminPath };
