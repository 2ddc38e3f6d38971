import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { canonicalEmail } from '../petitions/canonical-email.ts';
import { signatureCountOfPerson } from '../petitions/signers.ts';
import { Button, ChoiceGroup, ErrorSummary, Form, TextInput } from '../platform/web/components.tsx';
import type { FieldErrors, FormValues } from '../platform/web/forms.ts';
import { formValues } from '../platform/web/forms.ts';
import { Layout } from '../platform/web/layout.tsx';
import type { Q } from './tables.ts';
import { auditAccess, organisersOnly, requireAdmin, scopeOf } from './access.ts';
import { mergePeople } from './merge-people.ts';
import { livePersonIdFor } from './people.ts';
import { londonTime, peopleCrumbs, SummaryRow } from './people-views.tsx';
import { displayName, findPersonById, findPersonByPublicId, type Person } from './person-record.ts';

interface RecordSummary {
  person: Person;
  actions: number;
  consents: number;
  signatures: number;
}

async function summarise(q: Q, person: Person): Promise<RecordSummary> {
  const counts = await sql<{ actions: number; consents: number }>`
    select (select count(*)::int from person_actions where person_id = ${person.id}) as actions,
      (select count(*)::int from consents where person_id = ${person.id}) as consents`.execute(q);
  return { person, ...counts.rows[0]!, signatures: await signatureCountOfPerson(q, person.id) };
}

/** A record named by its email address or its id (from its page's address). */
async function findRecord(q: Q, text: string): Promise<Person | undefined> {
  const trimmed = text.trim();
  if (trimmed.includes('@')) {
    const id = await livePersonIdFor(q, canonicalEmail(trimmed));
    return id === undefined ? undefined : findPersonById(q, id);
  }
  const person = await findPersonByPublicId(q, trimmed);
  return person && !person.mergedIntoId && !person.erasedAt ? person : undefined;
}

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
  async function lookupBoth(first: string | undefined, second: string | undefined) {
    const errors: FieldErrors = {};
    const a = first?.trim() ? await findRecord(ctx.db, first) : undefined;
    const b = second?.trim() ? await findRecord(ctx.db, second) : undefined;
    if (!first?.trim()) errors.first = 'Enter the first record’s email address or id';
    else if (!a) errors.first = 'No live record has that email address or id';
    if (!second?.trim()) errors.second = 'Enter the second record’s email address or id';
    else if (!b) errors.second = 'No live record has that email address or id';
    if (a && b && a.id === b.id) errors.second = 'Choose a different record from the first';
    return { a, b, errors };
  }

  app.get('/admin/people/merge', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const query = chooseQuery.parse(request.query ?? {});
    if (query.first === undefined || query.second === undefined) return reply.render(<ChooseRecordsPage values={formValues(query)} />);
    const { a, b, errors } = await lookupBoth(query.first, query.second);
    if (!a || !b || Object.keys(errors).length > 0) return reply.render(<ChooseRecordsPage errors={errors} values={formValues(query)} />, 422);
    await auditAccess(ctx.db, scope, 'person.view', { type: 'person', id: a.publicId }, { page: 'merge', with: b.publicId });
    return reply.header('cache-control', 'no-store').render(<MergePreviewPage first={await summarise(ctx.db, a)} second={await summarise(ctx.db, b)} />);
  });

  app.post('/admin/people/merge', organisersOnly, async (request, reply) => {
    const scope = await scopeOf(ctx, request);
    requireAdmin(scope);
    const body = formValues(request.body);
    const { a, b, errors } = await lookupBoth(body.first, body.second);
    if (!a || !b || Object.keys(errors).length > 0) return reply.render(<ChooseRecordsPage errors={errors} values={body} />, 422);
    if (body.keep !== 'first' && body.keep !== 'second') {
      return reply.render(<MergePreviewPage first={await summarise(ctx.db, a)} second={await summarise(ctx.db, b)} errors={{ keep: 'Choose which record to keep' }} />, 422);
    }
    const [survivor, merged] = body.keep === 'first' ? [a, b] : [b, a];
    await ctx.db.transaction().execute((tx) => mergePeople(tx, { survivorId: survivor.id, mergedId: merged.id, actor: scope.viewer }));
    return reply.redirect(`/admin/people/${survivor.publicId}?notice=merged`, 303);
  });
}
