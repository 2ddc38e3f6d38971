import type { ComponentChildren } from 'preact';
import { Button, Checkbox, ErrorSummary, Form, Layout, formatNumber, type FieldErrors } from '../platform/index.ts';
import type { Purpose } from './consent.ts';
import { londonTime, peopleCrumbs } from './people-views.tsx';
import { displayName, type Person } from './person-record.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function label(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function Cell({ value }: { value: unknown }): ComponentChildren {
  if (value === null || value === undefined || value === '') return '–';
  if (value instanceof Date) return londonTime(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  return String(value);
}

/** Any exported data, shown readably: records as tables, objects as summary lists. */
function DataView({ value, caption }: { value: unknown; caption: string }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <p>None.</p>;
    const columns = [...new Set(value.flatMap((row) => (isRecord(row) ? Object.keys(row) : ['value'])))];
    return (
      <div class="table-scroll">
        <table class="table">
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col">{label(c)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {value.map((row) => (
              <tr>
                {columns.map((c) => (
                  <td>
                    <Cell value={isRecord(row) ? row[c] : row} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  if (isRecord(value)) {
    return (
      <dl class="summary-list">
        {Object.entries(value).map(([key, v]) => (
          <div class="summary-list__row">
            <dt>{label(key)}</dt>
            <dd>{Array.isArray(v) || isRecord(v) ? <DataView value={v} caption={`${caption}: ${label(key)}`} /> : <Cell value={v} />}</dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <p>
      <Cell value={value} />
    </p>
  );
}

export function SubjectAccessPage({ person, data }: { person: Person; data: Record<string, unknown> }) {
  const name = displayName(person);
  const sections = Object.entries(data).filter(([key]) => key !== 'exportedAt');
  return (
    <Layout title={`Everything we hold about ${name}`} breadcrumbs={[...peopleCrumbs, { href: `/admin/people/${person.publicId}`, label: name }]} wide>
      <h1>Everything we hold about {name}</h1>
      <p>
        This is the subject access copy: every piece of personal data held about this person, from every part of the hub.{' '}
        <a href={`/admin/people/${person.publicId}/data.json`} download>
          Download it as JSON
        </a>{' '}
        to send to them.
      </p>
      {sections.map(([source, value]) => (
        <section aria-labelledby={`source-${source}`}>
          <h2 id={`source-${source}`}>{label(source)}</h2>
          {isRecord(value) ? (
            Object.entries(value).map(([key, v]) => (
              <>
                <h3>{label(key)}</h3>
                <DataView value={v} caption={`${label(source)}: ${label(key)}`} />
              </>
            ))
          ) : (
            <DataView value={value} caption={label(source)} />
          )}
        </section>
      ))}
    </Layout>
  );
}

export function ErasePage({ person, errors }: { person: Person; errors?: FieldErrors }) {
  const name = displayName(person);
  return (
    <Layout title={errors ? `Error: Erase ${name}` : `Erase ${name}`} breadcrumbs={[...peopleCrumbs, { href: `/admin/people/${person.publicId}`, label: name }]}>
      <h1>Erase {name}?</h1>
      <ErrorSummary errors={errors} />
      <p class="lead">This removes their personal data everywhere. It cannot be undone.</p>
      <h2>What is removed</h2>
      <ul>
        <li>Their name, email address, phone number, postcode and where they came from.</li>
        <li>Their consents and the record of them, their tags and list memberships, and mail kept for their address.</li>
        <li>The name, email address, postcode and network address on their petition signatures.</li>
      </ul>
      <h2>What is kept</h2>
      <p>Anonymous facts only: their signatures still count towards each petition’s total and constituency figures.</p>
      <Form action={`/admin/people/${person.publicId}/erase`}>
        <Checkbox name="confirm" label="I understand that this person’s data will be erased and cannot be recovered" errors={errors} />
        <Button variant="warning">Erase this person</Button>
      </Form>
    </Layout>
  );
}

export function ConsentPurposesPage({ purposes }: { purposes: Array<Purpose & { live: number }> }) {
  return (
    <Layout title="Consent purposes" breadcrumbs={peopleCrumbs}>
      <h1>Consent purposes</h1>
      <p>Each purpose people can agree to be emailed for, with the number of live consents and the proof of each.</p>
      {purposes.length === 0 ? (
        <p>No one has been asked for consent yet.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Consent purposes</caption>
          <thead>
            <tr>
              <th scope="col">Purpose</th>
              <th scope="col" class="numeric">
                Live consents
              </th>
              <th scope="col">Proof</th>
            </tr>
          </thead>
          <tbody>
            {purposes.map((p) => (
              <tr>
                <th scope="row">{p.name}</th>
                <td class="numeric">{formatNumber(p.live)}</td>
                <td>
                  <a href={`/admin/people/consents/${p.id}.csv`}>
                    Download CSV<span class="visually-hidden"> of consents for {p.name}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
