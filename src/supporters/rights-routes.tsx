import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from './tables.ts';
import { checkbox, parseForm, parseParams } from '../platform/index.ts';
import { z } from 'zod';
import { auditAccess, erasablePerson, organisersOnly, requireAdmin, scopeOf, visiblePerson, visiblePurpose, visiblePurposeIds } from './access.ts';
import { personProofCsv, personProofJson, purposeProofCsv } from './consent-proof.ts';
import { countLiveConsents } from './count-live-consents.ts';
import { erasePerson, exportPersonalData } from './personal-data.ts';
import { ConsentPurposesPage, ErasePage, SubjectAccessPage } from './rights-views.tsx';

const personParams = z.object({ publicId: z.string() });
const personParam = (request: FastifyRequest) => parseParams(personParams, request.params, 'person').publicId;
/** A purpose's proof file: its id and `.csv`, as `/admin/people/consents/12.csv`. */
const purposeFileParams = z.object({
  file: z
    .string()
    .regex(/^\d{1,9}\.csv$/, { message: 'Name the purpose’s file by its id, like 12.csv' })
    .transform((file) => Number(file.slice(0, -'.csv'.length))),
});

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
    const person = await erasablePerson(ctx.db, scope, personParam(request));
    return reply.header('cache-control', 'no-store').render(<ErasePage person={person} />);
  });

  app.post('/admin/people/:publicId/erase', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const person = await erasablePerson(ctx.db, scope, personParam(request));
    const form = parseForm(eraseForm, request.body);
    if (!form.ok) return reply.render(<ErasePage person={person} errors={form.errors} />, 422);
    await ctx.db.transaction().execute((tx) => erasePerson(tx, person.id, scope.viewer));
    return reply.redirect(`/admin/people/${person.publicId}`, 303);
  });

  app.get('/admin/people/consents', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    return reply.render(<ConsentPurposesPage purposes={await countLiveConsents(ctx.db, { groupIds: scope.groupIds })} />);
  });

  app.get('/admin/people/consents/:file', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    const { file: purposeId } = parseParams(purposeFileParams, request.params, 'purpose');
    const purpose = await visiblePurpose(ctx.db, scope, purposeId);
    await auditAccess(ctx.db, scope, 'people.export', { type: 'consent_purpose', id: purpose.id }, { purpose: purpose.key, format: 'csv' });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', attachment(`consents-${purpose.key}.csv`))
      .header('cache-control', 'no-store')
      .send(purposeProofCsv(ctx.db, purpose.id));
  });
}
