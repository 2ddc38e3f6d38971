import { ScrollingTable, Button, ErrorSummary, FileInput, Form, Layout, Select, TextArea, TextInput, formatLondon, formatNumber, type FieldErrors, type FormValues } from '../../platform/index.ts';
import type { FileHead } from './import-batches.ts';
import { importFields, type ColumnMapping } from './import-mapping.ts';
import type { PeopleImport } from './import-store.ts';

const stateLabels: Record<PeopleImport['state'], string> = {
  uploaded: 'Choose columns',
  checked: 'Checked, ready to run',
  queued: 'Waiting to run',
  running: 'Running',
  done: 'Done',
  failed: 'Stopped: the file could not be read',
};

export function importStateLabel(state: PeopleImport['state']): string {
  return stateLabels[state];
}

export interface ImportsPageProps {
  imports: PeopleImport[];
  owners: Array<{ value: string; label: string }>;
  lists: Array<{ value: string; label: string }>;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
}

export function ImportsPage({ imports, owners, lists, errors, values }: ImportsPageProps) {
  return (
    <Layout title="Import people" wide breadcrumbs={[{ href: '/admin/segments', label: 'Segments' }]}>
      <h1>Import people from a CSV file</h1>
      <p class="lead">For example an export from Action Network. You will check the columns and see a dry run before anything is saved.</p>
      <ErrorSummary errors={errors} />
      <Form action="/admin/people-imports" multipart>
        <FileInput
          name="file"
          label="CSV file"
          accept=".csv,text/csv"
          hint={
            <>
              Up to 5 MB (about 40,000 people). Bigger files go through the command line on the server:{' '}
              <code>chorus import people file.csv --purpose coalition|group-slug --wording "..."</code>
            </>
          }
          errors={errors}
        />
        <Select name="group" label="Whose updates did these people agree to hear about?" options={owners} values={values} errors={errors} />
        <TextArea
          name="wording"
          label="The words they agreed to"
          hint="Exactly as they saw them, for example the sign-up form's consent text. It is kept as proof of consent."
          rows={3}
          values={values}
          errors={errors}
        />
        <TextInput
          name="agreedOn"
          label="The day they agreed (optional)"
          hint="Leave empty to use each row’s date joined, or today for rows without one."
          type="date"
          width="10"
          values={values}
          errors={errors}
        />
        <TextInput name="tags" label="Tag everyone imported (optional)" hint="Separate several tags with commas" width="20" values={values} errors={errors} />
        {lists.length > 0 ? <Select name="list" label="Add everyone to a list (optional)" options={lists} placeholder="No list" values={values} errors={errors} /> : null}
        <Button>Upload and choose columns</Button>
      </Form>
      <h2>Recent imports</h2>
      {imports.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Recent imports</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">By</th>
              <th scope="col">Uploaded</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {imports.map((i) => (
              <tr>
                <td>{i.source === 'web' ? <a href={`/admin/people-imports/${i.id}`}>{i.fileName}</a> : `${i.fileName} (command line)`}</td>
                <td>{i.createdByLabel}</td>
                <td>{formatLondon(i.createdAt, 'short-date')}</td>
                <td>{importStateLabel(i.state)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function MappingPage({ plan, head, mapping, errors }: { plan: PeopleImport; head: FileHead; mapping: ColumnMapping; errors?: FieldErrors | undefined }) {
  const columns = head.headers.map((h, index) => ({ value: String(index), label: h || `Column ${index + 1}` }));
  const values = Object.fromEntries(Object.entries(mapping).map(([field, index]) => [field, String(index)]));
  return (
    <Layout title="Choose columns" wide breadcrumbs={[{ href: '/admin/people-imports', label: 'Imports' }]}>
      <h1>Which column holds what?</h1>
      <p>
        <strong>{plan.fileName}</strong>: we have matched the columns we recognise. Check them, then see a dry run.
      </p>
      <ErrorSummary errors={errors} />
      <Form action={`/admin/people-imports/${plan.id}/mapping`}>
        {importFields.map((f) => (
          <Select name={f.field} label={f.label} hint={'hint' in f ? f.hint : undefined} options={columns} placeholder="Not in this file" values={values} errors={errors} />
        ))}
        <Button>Check the file (dry run)</Button>
      </Form>
      {head.sample.length > 0 ? (
        <ScrollingTable label="The first rows of the file">
          <table class="table">
            <caption>The first rows of the file</caption>
            <thead>
              <tr>
                {head.headers.map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {head.sample.map((row) => (
                <tr>
                  {head.headers.map((_, i) => (
                    <td>{row[i] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      ) : null}
    </Layout>
  );
}

export function ProblemTable({ caption, problems }: { caption: string; problems: Array<{ line: number; reason: string }> }) {
  if (problems.length === 0) return null;
  return (
    <table class="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" class="numeric">
            Line
          </th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p) => (
          <tr>
            <td class="numeric">{p.line}</td>
            <td>{p.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Figures({ rows }: { rows: Array<[string, number | string]> }) {
  return (
    <dl class="summary-list">
      {rows.map(([label, value]) => (
        <div class="summary-list__row">
          <dt>{label}</dt>
          <dd>{typeof value === 'number' ? formatNumber(value) : value}</dd>
        </div>
      ))}
    </dl>
  );
}
