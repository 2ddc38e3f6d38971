import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../tables.ts';
import { DomainError, conflict, notFound } from '../../platform/http/errors.ts';
import type { UploadedFile } from '../../platform/http/server.ts';
import { requireRole } from '../../platform/http/guards.ts';
import { errorsFrom, formValues, parseForm, requiredText, type FieldErrors } from '../../platform/web/forms.ts';
import { checkImport } from './check-import.ts';
import { collectionChoices } from './collections.ts';
import type { PeopleScope } from './compile-segment.ts';
import { readHead } from './import-batches.ts';
import { guessMapping, mappingSchema } from './import-mapping.ts';
import { importPercent, ImportStatusPage } from './import-status-view.tsx';
import { createImport, getImport, importContent, listImports, markQueued, saveMapping, saveReport, sha256, type PeopleImport } from './import-store.ts';
import { ImportsPage, MappingPage } from './import-views.tsx';
import { queuePeopleImport } from './jobs.ts';
import { canManage } from './ownership.ts';
import { ownerOptions, parseOwner, scopeOf, viewerOf } from './viewer-scope.ts';
import { importOptionsSchema } from './import-options.ts';

function isUpload(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).data);
}

const uploadForm = z.object({ wording: requiredText('the words people agreed to', 5000) });

export function registerImportRoutes(app: FastifyInstance, ctx: AppContext) {
  const guard = { preHandler: requireRole('admin', 'organiser') };

  async function manageableLists(scope: PeopleScope) {
    return (await collectionChoices(ctx.db, 'list', scope)).filter((l) => scope === 'all' || l.groupName !== null).map((l) => ({ value: String(l.id), label: `${l.name} (${l.groupName ?? 'whole coalition'})` }));
  }

  async function showImports(request: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, string> } = {}) {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const page = <ImportsPage imports={await listImports(ctx.db, scope)} owners={await ownerOptions(ctx.db, scope)} lists={await manageableLists(scope)} {...extra} />;
    return reply.render(page, extra.errors ? 422 : 200);
  }

  /** The import, if the viewer may see it: coalition imports for admins, a group's for its organisers too. */
  async function load(request: FastifyRequest): Promise<{ plan: PeopleImport; scope: PeopleScope }> {
    const scope = await scopeOf(ctx.db, viewerOf(request));
    const plan = await getImport(ctx.db, (request.params as { id: string }).id);
    if (!plan || plan.source !== 'web' || !canManage(scope, plan)) throw notFound('import');
    return { plan, scope };
  }

  async function showMapping(reply: FastifyReply, plan: PeopleImport, errors?: FieldErrors) {
    const content = await importContent(ctx.db, plan.id);
    const head = content ? readHead(content) : undefined;
    if (!head) throw conflict('The file of this import is no longer kept. Upload it again.');
    return reply.render(<MappingPage plan={plan} head={head} mapping={plan.mapping ?? guessMapping(head.headers)} errors={errors} />, errors ? 422 : 200);
  }

  app.get('/admin/people-imports', guard, async (request, reply) => showImports(request, reply));

  app.post('/admin/people-imports', guard, async (request, reply) => {
    const viewer = viewerOf(request);
    const scope = await scopeOf(ctx.db, viewer);
    const body = (request.body ?? {}) as Record<string, unknown>;
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
    let groupId: number | null = null;
    let listId: number | null = null;
    try {
      groupId = await parseOwner(ctx.db, values.group, scope);
      if (values.list) {
        const list = (await manageableLists(scope)).find((l) => l.value === values.list);
        if (!list) errors.list = 'Choose one of the lists';
        else listId = Number(values.list);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      Object.assign(errors, errorsFrom(error));
    }
    if (Object.keys(errors).length > 0 || !form.ok || !options.success || !isUpload(file) || !head) return showImports(request, reply, { errors, values });
    const id = await createImport(ctx.db, {
      source: 'web',
      fileName: file.filename.slice(0, 200),
      fileSha256: sha256(file.data),
      fileBytes: file.data.length,
      content: file.data,
      groupId,
      wording: form.value.wording,
      agreedOn: options.data.agreedOn ?? null,
      extraTags: options.data.tags,
      listId,
      mapping: null,
      createdBy: viewer.id,
      createdByLabel: `${viewer.name} <${viewer.email}>`,
    });
    return reply.redirect(`/admin/people-imports/${id}`, 303);
  });

  app.get('/admin/people-imports/:id', guard, async (request, reply) => {
    const { plan } = await load(request);
    if (plan.state === 'uploaded' || (plan.state === 'checked' && (request.query as { step?: string }).step === 'mapping')) return showMapping(reply, plan);
    return reply.render(<ImportStatusPage plan={plan} />);
  });

  app.get('/admin/people-imports/:id/status.json', guard, async (request, reply) => {
    const { plan } = await load(request);
    return reply.header('cache-control', 'no-store').send({ state: plan.state, percent: importPercent(plan), linesDone: plan.linesDone, counts: plan.counts });
  });

  /** Saves the columns chosen and runs the dry run (files are at most 5 MB: seconds). */
  app.post('/admin/people-imports/:id/mapping', guard, async (request, reply) => {
    const { plan } = await load(request);
    if (plan.state !== 'uploaded' && plan.state !== 'checked') throw conflict('This import has already run.');
    const content = await importContent(ctx.db, plan.id);
    const head = content ? readHead(content) : undefined;
    if (!content || !head) throw conflict('The file of this import is no longer kept. Upload it again.');
    const form = parseForm(mappingSchema(head.headers.length), request.body);
    if (!form.ok) return showMapping(reply, plan, form.errors);
    await saveMapping(ctx.db, plan.id, form.value);
    const report = await checkImport(ctx.db, {
      source: Readable.from([content]),
      delimiter: head.delimiter,
      mapping: form.value,
      groupId: plan.groupId,
      extraTags: plan.extraTags,
    });
    await saveReport(ctx.db, plan.id, report);
    return reply.redirect(`/admin/people-imports/${plan.id}`, 303);
  });

  app.post('/admin/people-imports/:id/run', guard, async (request, reply) => {
    const { plan } = await load(request);
    const queued = await ctx.db.transaction().execute(async (tx) => {
      if (!(await markQueued(tx, plan.id))) return false;
      await queuePeopleImport(tx, plan.id);
      return true;
    });
    if (!queued && plan.state === 'checked') throw conflict('This import cannot run now.');
    return reply.redirect(`/admin/people-imports/${plan.id}`, 303);
  });
}
