import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from './tables.ts';
import { DomainError, notFound } from '../platform/http/errors.ts';
import { checkbox, parseForm } from '../platform/web/forms.ts';
import { z } from 'zod';
import { auditAccess, organisersOnly, requireAdmin, scopeOf, visiblePerson, visiblePurposeIds } from './access.ts';
import { listPurposes } from './consent.ts';
import { personProofCsv, personProofJson, purposeProofCsv } from './consent-proof.ts';
import { erasePerson, exportPersonalData } from './personal-data.ts';
import { ConsentPurposesPage, ErasePage, SubjectAccessPage } from './rights-views.tsx';

const personParam = (request: FastifyRequest) => (request.params as { publicId: string }).publicId;

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^a-zA-Z0-9._-]/g, '-')}"`;
}

const eraseForm = z.object({ confirm: checkbox().refine((v) => v, { message: 'Tick the box to confirm you want to erase this person' }) });

/** Consent proof downloads, subject access copies and erasure. */
export function registerRightsRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/people/:publicId/consents.csv', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const person = await visiblePerson(ctx.db, scope, personParam(request));
    await auditAccess(ctx.db, scope, 'person.consents.export', { type: 'person', id: person.publicId }, { format: 'csv' });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment(`consents-${person.publicId}.csv`))
      .header('cache-control', 'no-store')
      .send(await personProofCsv(ctx.db, person.id, await visiblePurposeIds(ctx.db, scope)));
  });

  app.get('/admin/people/:publicId/consents.json', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const person = await visiblePerson(ctx.db, scope, personParam(request));
    await auditAccess(ctx.db, scope, 'person.consents.export', { type: 'person', id: person.publicId }, { format: 'json' });
    const proof = await personProofJson(ctx.db, person.id, await visiblePurposeIds(ctx.db, scope));
    return reply
      .header('content-disposition', attachment(`consents-${person.publicId}.json`))
      .header('cache-control', 'no-store')
      .send({ person: person.publicId, ...(proof as object) });
  });

  // Subject access copies hold every group's data about a person, so only admins make them.
  app.get('/admin/people/:publicId/data', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const person = await visiblePerson(ctx.db, scope, personParam(request));
    const data = await exportPersonalData(ctx.db, person.id);
    await auditAccess(ctx.db, scope, 'person.data.view', { type: 'person', id: person.publicId });
    return reply.header('cache-control', 'no-store').render(<SubjectAccessPage person={person} data={data} />);
  });

  app.get('/admin/people/:publicId/data.json', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const person = await visiblePerson(ctx.db, scope, personParam(request));
    const data = await exportPersonalData(ctx.db, person.id);
    await auditAccess(ctx.db, scope, 'person.data.export', { type: 'person', id: person.publicId });
    return reply
      .header('content-disposition', attachment(`personal-data-${person.publicId}.json`))
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  });

  app.get('/admin/people/:publicId/erase', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const person = await visiblePerson(ctx.db, scope, personParam(request));
    if (person.erasedAt) throw new DomainError('conflict', 'This person’s data has already been erased.');
    return reply.header('cache-control', 'no-store').render(<ErasePage person={person} />);
  });

  app.post('/admin/people/:publicId/erase', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const person = await visiblePerson(ctx.db, scope, personParam(request));
    if (person.erasedAt) throw new DomainError('conflict', 'This person’s data has already been erased.');
    const form = parseForm(eraseForm, request.body);
    if (!form.ok) return reply.render(<ErasePage person={person} errors={form.errors} />, 422);
    await ctx.db.transaction().execute((tx) => erasePerson(tx, person.id, scope.viewer));
    return reply.redirect(`/admin/people/${person.publicId}`, 303);
  });

  app.get('/admin/people/consents', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const purposes = await listPurposes(ctx.db, { groupIds: scope.groupIds });
    const counts = await sql<{ purpose_id: number; n: number }>`
      select purpose_id, count(*)::int as n from consents where status = 'given' group by purpose_id`.execute(ctx.db);
    const live = new Map(counts.rows.map((r) => [r.purpose_id, r.n]));
    return reply.render(<ConsentPurposesPage purposes={purposes.map((p) => ({ ...p, live: live.get(p.id) ?? 0 }))} />);
  });

  app.get('/admin/people/consents/:file', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const match = /^(\d{1,9})\.csv$/.exec((request.params as { file: string }).file);
    const purposeId = match ? Number(match[1]) : NaN;
    const visible = await visiblePurposeIds(ctx.db, scope);
    const purpose = (await listPurposes(ctx.db, { ids: Number.isSafeInteger(purposeId) ? [purposeId] : [] }))[0];
    if (!purpose || (visible !== 'all' && !visible.includes(purpose.id))) throw notFound('purpose');
    await auditAccess(ctx.db, scope, 'people.export', { type: 'consent_purpose', id: purpose.id }, { purpose: purpose.key, format: 'csv' });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment(`consents-${purpose.key}.csv`))
      .header('cache-control', 'no-store')
      .send(purposeProofCsv(ctx.db, purpose.id));
  });
}
