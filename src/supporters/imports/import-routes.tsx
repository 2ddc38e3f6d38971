import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../tables.ts';
import { DomainError, errorsFrom, formValues, notFound, parseForm, parseParams, parseRequest, queryText, requireRole, requiredText, type FieldErrors, type UploadedFile } from '../../platform/index.ts';
import type { PeopleScope } from '../segments/compile-segment.ts';
import { readHead } from './import-batches.ts';
import { guessMapping, mappingSchema } from './import-mapping.ts';
import { ImportStatusPage, importPercent } from './import-status-view.tsx';
import { getImport, listImports, type PeopleImport } from './import-store.ts';
import { ImportsPage, MappingPage } from './import-views.tsx';
import { keptImportFile, mapImportColumns, mappableImportFile } from './map-import-columns.ts';
import { canManage } from '../ownership.ts';
import { queueImport } from './queue-import.ts';
import { importListChoices, importOwner, startImport } from './start-import.ts';
import { ownerOptions, scopeOf, viewerOf } from '../viewer-scope.ts';
import { importOptionsSchema } from './import-options.ts';

function isUpload(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).data);
}

const uploadForm = z.object({ wording: requiredText('the words people agreed to', 5000) });
/** The upload form's fields, file and all (the file is checked on its own below). */
const uploadBody = z.record(z.string(), z.unknown());
const importParams = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/i, { message: 'Enter an import id' }) });
const importQuery = z.object({ step: queryText() });

export function registerImportRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireRole('admin', 'organiser') };

  async function showImports(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, string> } = {}) {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const page = <ImportsPage imports={await listImports(ctx.db, scope)} owners={await ownerOptions(ctx.db, scope)} lists={await importListChoices(ctx.db, scope)} {...extra} />;
    return reply.render(page, extra.errors ? 422 : 200);
  }

  /** The import, if the viewer may see it: coalition imports for admins, a group's for its organisers too. */
  async function load(request: FastifyRequest): Promise<{ plan: PeopleImport; scope: PeopleScope }> {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const plan = await getImport(ctx.db, parseParams(importParams, request.params, 'import').id);
    if (!plan || plan.source !== 'web' || !canManage(scope, plan)) throw notFound('import');
    return { plan, scope };
  }

  async function showMapping(reply: FastifyReply, plan: PeopleImport, errors?: FieldErrors) {
    const { head } = await keptImportFile(ctx.db, plan);
    return reply.render(<MappingPage plan={plan} head={head} mapping={plan.mapping ?? guessMapping(head.headers)} errors={errors} />, errors ? 422 : 200);
  }

  app.get('/admin/people-imports', guard, async (request, reply) => showImports(request, reply));

  app.post('/admin/people-imports', guard, async (request, reply) => {
    const viewer = viewerOf(request);
    const scope = await scopeOf(ctx.db, viewer);
    const body = parseRequest(uploadBody, request.body);
    const values = formValues(Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')));
    const errors: FieldErrors = {};
    const form = parseForm(uploadForm, values);
    if (!form.ok) Object.assign(errors, form.errors);
    const options = importOptionsSchema.safeParse({ agreedOn: values.agreedOn, tags: values.tags });
    if (!options.success) for (const issue of options.error.issues) errors[String(issue.path[0])] ??= issue.message;
    const file = body.file;
    const head = isUpload(file) ? readHead(file.data) : undefined;
    if (!isUpload(file)) errors.file = 'Choose a CSV file';
    else if (!head) errors.file = 'The file must be a CSV file with a header row naming its columns';
    let owner = { groupId: null as number | null, listId: null as number | null };
    try {
      owner = await importOwner(ctx.db, scope, { group: values.group, list: values.list });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      Object.assign(errors, errorsFrom(error));
    }
    if (Object.keys(errors).length > 0 || !form.ok || !options.success || !isUpload(file) || !head) return showImports(request, reply, { errors, values });
    const id = await startImport(ctx.db, {
      viewer,
      file,
      ...owner,
      wording: form.value.wording,
      agreedOn: options.data.agreedOn ?? null,
      extraTags: options.data.tags,
    });
    return reply.redirect(`/admin/people-imports/${id}`, 303);
  });

  app.get('/admin/people-imports/:id', guard, async (request, reply) => {
    const { plan } = await load(request);
    if (plan.state === 'uploaded' || (plan.state === 'checked' && parseRequest(importQuery, request.query).step === 'mapping')) return showMapping(reply, plan);
    return reply.render(<ImportStatusPage plan={plan} />);
  });

  app.get('/admin/people-imports/:id/status.json', guard, async (request, reply) => {
    const { plan } = await load(request);
    return reply.header('cache-control', 'no-store').send({ state: plan.state, percent: importPercent(plan), linesDone: plan.linesDone, counts: plan.counts });
  });

  /** Saves the columns chosen and runs the dry run. */
  app.post('/admin/people-imports/:id/mapping', guard, async (request, reply) => {
    const { plan } = await load(request);
    const file = await mappableImportFile(ctx.db, plan);
    const form = parseForm(mappingSchema(file.head.headers.length), request.body);
    if (!form.ok) return showMapping(reply, plan, form.errors);
    await mapImportColumns(ctx.db, { plan, file, mapping: form.value });
    return reply.redirect(`/admin/people-imports/${plan.id}`, 303);
  });

  app.post('/admin/people-imports/:id/run', guard, async (request, reply) => {
    const { plan } = await load(request);
    await ctx.db.transaction().execute((tx) => queueImport(tx, plan));
    return reply.redirect(`/admin/people-imports/${plan.id}`, 303);
  });
}
