import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { Button, ChoiceGroup, ErrorSummary, Form, Layout, TextInput, formValues, type FieldErrors, type FormValues } from '../platform/index.ts';
import { auditAccess, organisersOnly, requireAdmin, scopeOf } from './access.ts';
import { findRecordsToMerge, summariseRecord, type RecordSummary } from './find-records-to-merge.ts';
import { mergePeople } from './merge-people.ts';
import { SummaryRow, londonTime, peopleCrumbs } from './people-views.tsx';
import { displayName } from './person-record.ts';

function ChooseRecordsPage({ errors, values }: { errors?: FieldErrors; values?: FormValues }) {
  return (
    <Layout title={errors ? 'Error: Merge two records' : 'Merge two records'} breadcrumbs={peopleCrumbs}>
      <h1>Merge two records</h1>
      <p>When one person has two records (for example two email addresses), merge them: the record you keep gets the history of both.</p>
      <ErrorSummary errors={errors} />
      <Form action="/admin/people/merge" method="get">
        <TextInput name="first" label="First record" hint="An email address, or the record id from the end of its page’s address" errors={errors} values={values} spellcheck={false} />
        <TextInput name="second" label="Second record" hint="An email address, or a record id" errors={errors} values={values} spellcheck={false} />
        <Button>Compare</Button>
      </Form>
    </Layout>
  );
}

function RecordColumn({ summary, heading }: { summary: RecordSummary; heading: string }) {
  const p = summary.person;
  return (
    <section class="merge-record" aria-label={heading}>
      <h2>{heading}</h2>
      <dl class="summary-list">
        <SummaryRow label="Name">{displayName(p)}</SummaryRow>
        <SummaryRow label="Email">{p.email ?? '–'}</SummaryRow>
        <SummaryRow label="Postcode">{p.postcode ?? '–'}</SummaryRow>
        <SummaryRow label="Created">{londonTime(p.createdAt)}</SummaryRow>
        <SummaryRow label="Actions">{summary.actions}</SummaryRow>
        <SummaryRow label="Consents">{summary.consents}</SummaryRow>
        <SummaryRow label="Signatures">{summary.signatures}</SummaryRow>
      </dl>
    </section>
  );
}

function MergePreviewPage({ first, second, errors }: { first: RecordSummary; second: RecordSummary; errors?: FieldErrors }) {
  return (
    <Layout title="Check and merge" breadcrumbs={[...peopleCrumbs, { href: '/admin/people/merge', label: 'Merge two records' }]} wide>
      <h1>Check and merge</h1>
      <ErrorSummary errors={errors} />
      <div class="merge-preview">
        <RecordColumn summary={first} heading="First record" />
        <RecordColumn summary={second} heading="Second record" />
      </div>
      <Form action="/admin/people/merge">
        <input type="hidden" name="first" value={first.person.publicId} />
        <input type="hidden" name="second" value={second.person.publicId} />
        <ChoiceGroup
          name="keep"
          type="radio"
          legend="Which record do you want to keep?"
          hint="Its email address stays. Details it lacks are taken from the other record; the other record’s history moves to it."
          options={[
            { value: 'first', label: `First: ${first.person.email ?? displayName(first.person)}` },
            { value: 'second', label: `Second: ${second.person.email ?? displayName(second.person)}` },
          ]}
          errors={errors}
        />
        <Button variant="warning">Merge these records</Button>
      </Form>
    </Layout>
  );
}

const chooseQuery = z.object({ first: z.string().max(300).optional().catch(undefined), second: z.string().max(300).optional().catch(undefined) });

export function registerMergeRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/people/merge', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const query = chooseQuery.parse(request.query ?? {});
    if (query.first === undefined || query.second === undefined) return reply.render(<ChooseRecordsPage values={formValues(query)} />);
    const { a, b, errors } = await findRecordsToMerge(ctx.db, query.first, query.second);
    if (!a || !b || Object.keys(errors).length > 0) return reply.render(<ChooseRecordsPage errors={errors} values={formValues(query)} />, 422);
    await auditAccess(ctx.db, scope, 'person.view', { type: 'person', id: a.publicId }, { page: 'merge', with: b.publicId });
    return reply.header('cache-control', 'no-store').render(<MergePreviewPage first={await summariseRecord(ctx.db, a)} second={await summariseRecord(ctx.db, b)} />);
  });

  app.post('/admin/people/merge', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const body = formValues(request.body);
    const { a, b, errors } = await findRecordsToMerge(ctx.db, body.first, body.second);
    if (!a || !b || Object.keys(errors).length > 0) return reply.render(<ChooseRecordsPage errors={errors} values={body} />, 422);
    if (body.keep !== 'first' && body.keep !== 'second') {
      return reply.render(<MergePreviewPage first={await summariseRecord(ctx.db, a)} second={await summariseRecord(ctx.db, b)} errors={{ keep: 'Choose which record to keep' }} />, 422);
    }
    const [survivor, merged] = body.keep === 'first' ? [a, b] : [b, a];
    await ctx.db.transaction().execute((tx) => mergePeople(tx, { survivorId: survivor.id, mergedId: merged.id, actor: scope.viewer }));
    return reply.redirectWithNotice(`/admin/people/${survivor.publicId}`, 'merged');
  });
}
