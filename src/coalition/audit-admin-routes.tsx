import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { Button, Form, Layout, LondonTime, Pagination, ScrollingTable, Select, auditActionLabel, auditChanges, auditFilterChoices, describeAuditEntries, listAuditEntries, pageCount, pageFrom, requireRole, type AuditFilter, type AuditRecord } from '../platform/index.ts';
import { PER_PAGE } from './admin-pages.tsx';

const filterSchema = z.object({
  action: z.string().max(200).optional().catch(undefined),
  subject: z.string().max(200).optional().catch(undefined),
  actor: z.string().max(500).optional().catch(undefined),
});

/** A value as a person reads it: text as is, lists joined, nothing as a dash. */
function readable(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (Array.isArray(value)) return value.length === 0 ? '–' : value.map(readable).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function ChangesTable({ entry, sentence }: { entry: AuditRecord; sentence: string }) {
  const changes = auditChanges(entry.before, entry.after);
  if (changes.length === 0) return null;
  const both = entry.before != null && entry.after != null;
  const caption = both ? 'Before and after' : entry.after != null ? 'Values recorded' : 'Values before';
  return (
    <ScrollingTable label={`${caption}: ${sentence}`}>
      <table class="table audit-changes">
        <caption class="table__caption table__caption--small">
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            {both || entry.before != null ? <th scope="col">Before</th> : null}
            {both || entry.after != null ? <th scope="col">After</th> : null}
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr class={change.changed ? 'audit-changes__row--changed' : undefined}>
              <th scope="row">
                {change.field}
                {change.changed ? <strong class="tag tag--yellow audit-changes__tag">changed</strong> : null}
              </th>
              {both || entry.before != null ? <td>{readable(change.before)}</td> : null}
              {both || entry.after != null ? <td>{readable(change.after)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

type Described = Awaited<ReturnType<typeof describeAuditEntries>>[number];

/** The ids behind an entry (its action, subject and recorded values), for whoever needs them. */
function EntryDetails({ entry, sentence }: { entry: AuditRecord; sentence: string }) {
  const changed = entry.before != null && entry.after != null;
  return (
    <details class="details audit-entry__details" open={changed}>
      <summary>{changed ? 'What changed' : 'Details'}</summary>
      <p class="hint">
        Recorded as <code>{entry.action}</code> on {entry.subjectType}
        {entry.subjectId ? (
          <>
            {' '}
            <code>{entry.subjectId}</code>
          </>
        ) : null}
        .
      </p>
      <ChangesTable entry={entry} sentence={sentence} />
    </details>
  );
}

function AuditPage(props: {
  entries: AuditRecord[];
  described: Described[];
  total: number;
  page: number;
  filter: AuditFilter;
  choices: { actions: string[]; subjectTypes: string[]; actors: string[] };
}) {
  const { filter, choices } = props;
  const query = (page: number) => {
    const params = new URLSearchParams();
    if (filter.action) params.set('action', filter.action);
    if (filter.subjectType) params.set('subject', filter.subjectType);
    if (filter.actor) params.set('actor', filter.actor);
    params.set('page', String(page));
    return `/admin/audit?${params}`;
  };
  const options = (list: string[]) => list.map((value) => ({ value, label: value }));
  const actionOptions = choices.actions.map((value) => ({ value, label: auditActionLabel(value) }));
  return (
    <Layout title="Audit log" wide>
      <h1>Audit log</h1>
      <p>Every change made by organisers, the command line and the system, newest first. Times are UK time.</p>
      <Form action="/admin/audit" method="get" class="filter-form">
        <Select name="action" label="Action" options={actionOptions} placeholder="Any action" value={filter.action ?? ''} />
        <Select name="subject" label="Subject type" options={options(choices.subjectTypes)} placeholder="Any subject" value={filter.subjectType ?? ''} />
        <Select name="actor" label="Who" options={options(choices.actors)} placeholder="Anyone" value={filter.actor ?? ''} />
        <Button variant="secondary">Filter</Button>
      </Form>
      <p role="status">
        {props.total === 1 ? '1 entry' : `${props.total} entries`}
        {filter.action || filter.subjectType || filter.actor ? ' match the filter. ' : '. '}
        {filter.action || filter.subjectType || filter.actor ? <a href="/admin/audit">Show every entry</a> : null}
      </p>
      <ol class="audit-list">
        {props.entries.map((entry, i) => {
          const { sentence, subject } = props.described[i]!;
          const named = subject?.href && sentence.endsWith(subject.name) ? sentence.slice(0, -subject.name.length) : undefined;
          return (
            <li class="audit-entry">
              <h2 class="audit-entry__title">
                {named !== undefined ? (
                  <>
                    {named}
                    <a href={subject!.href}>{subject!.name}</a>
                  </>
                ) : (
                  sentence
                )}
              </h2>
              <p class="audit-entry__meta">
                By {entry.actorLabel}, <LondonTime date={entry.at} />
              </p>
              <EntryDetails entry={entry} sentence={sentence} />
            </li>
          );
        })}
      </ol>
      <Pagination page={props.page} totalPages={pageCount(props.total, PER_PAGE)} href={query} />
    </Layout>
  );
}

/** The audit log for coalition admins: who changed what, when, before and after. */
export function registerAuditAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/admin/audit', { preHandler: requireRole('admin') }, async (request, reply) => {
    const raw = filterSchema.parse(request.query ?? {});
    const filter: AuditFilter = { action: raw.action || undefined, subjectType: raw.subject || undefined, actor: raw.actor || undefined };
    const page = pageFrom(request.query);
    const [{ entries, total }, choices] = await Promise.all([listAuditEntries(ctx.db, filter, page, PER_PAGE), auditFilterChoices(ctx.db)]);
    const described = await describeAuditEntries(ctx.db, entries);
    return reply.render(<AuditPage entries={entries} described={described} total={total} page={page} filter={filter} choices={choices} />);
  });
}
