import type { ComponentChildren } from 'preact';
import { Button, Checkbox, ErrorSummary, Form, Layout, ScrollingTable, formatNumber, type FieldErrors } from '../platform/index.ts';
import type { ConsentEventRecord, ConsentRecord, Purpose } from './consent.ts';
import { consentMethodLabel } from './consent-methods.ts';
import { ConsentHistoryRows, ConsentRows, petitionNamesFromTimeline, type PetitionName } from './consent-rows.tsx';
import { londonTime, peopleCrumbs } from './people-views.tsx';
import { describeAction } from './person-views.tsx';
import { displayName, type Person, type TimelineEntry } from './person-record.ts';

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
  if (Array.isArray(value)) return value.length === 0 ? '–' : value.map((v, i) => [i > 0 ? '; ' : '', <Cell value={v} />]);
  // A nested record reads as "Label: value" pairs, never as JSON.
  if (isRecord(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '–' : entries.map(([k, v], i) => [i > 0 ? '; ' : '', `${label(k)}: `, <Cell value={v} />]);
  }
  return String(value);
}

/** Any exported data, shown readably: records as tables, objects as summary lists. */
function DataView({ value, caption }: { value: unknown; caption: string }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <p>None.</p>;
    const columns = [...new Set(value.flatMap((row) => (isRecord(row) ? Object.keys(row) : ['value'])))];
    return (
      <ScrollingTable label={caption}>
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
      </ScrollingTable>
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

function TimelineTable({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p>None.</p>;
  return (
    <ScrollingTable label="Timeline">
      <table class="table">
        <caption class="visually-hidden">What they did, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <td>{londonTime(e.occurredAt)}</td>
              <td>{describeAction(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

/** Petition names by id, from the export itself (their signatures and their timeline). */
function petitionNamesIn(data: Record<string, unknown>): PetitionName {
  const names = new Map<number, string>();
  const signatures = data['petition-signatures'];
  if (Array.isArray(signatures)) {
    for (const s of signatures) {
      const id = isRecord(s) && typeof s.petitionUrl === 'string' ? /^\/petitions\/(\d+)/.exec(s.petitionUrl)?.[1] : undefined;
      if (id && typeof s.petition === 'string') names.set(Number(id), s.petition);
    }
  }
  const supporter = data.supporter;
  const timeline = isRecord(supporter) && Array.isArray(supporter.timeline) ? (supporter.timeline as TimelineEntry[]) : [];
  return petitionNamesFromTimeline(timeline, names);
}

/** One part of the supporters' own export, each in the form that reads best. */
function SupporterPart({ part, value, petitionName, purposeName }: { part: string; value: unknown; petitionName: PetitionName; purposeName: (id: number) => string | undefined }) {
  if (part === 'consents' && Array.isArray(value)) return value.length === 0 ? <p>None.</p> : <ConsentRows consents={value as ConsentRecord[]} petitionName={petitionName} />;
  if (part === 'consentEvents' && Array.isArray(value)) {
    return value.length === 0 ? <p>None.</p> : <ConsentHistoryRows events={value as ConsentEventRecord[]} purposeName={purposeName} petitionName={petitionName} withNetworkAddress />;
  }
  if (part === 'timeline' && Array.isArray(value)) return <TimelineTable entries={value as TimelineEntry[]} />;
  if (part === 'person' && isRecord(value) && isRecord(value.source) && typeof value.source.method === 'string') {
    const source = { ...value.source, method: consentMethodLabel(value.source.method, null, petitionName) };
    return <DataView value={{ ...value, source }} caption="Supporter: person" />;
  }
  return <DataView value={value} caption={`Supporter: ${label(part)}`} />;
}

export function SubjectAccessPage({ person, data }: { person: Person; data: Record<string, unknown> }) {
  const name = displayName(person);
  const sections = Object.entries(data).filter(([key]) => key !== 'exportedAt');
  const petitionName = petitionNamesIn(data);
  const supporter = isRecord(data.supporter) ? data.supporter : {};
  const purposes = new Map((Array.isArray(supporter.consents) ? (supporter.consents as ConsentRecord[]) : []).map((c) => [c.purpose.id, c.purpose.name]));
  const purposeName = (id: number) => purposes.get(id);
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
                {source === 'supporter' ? <SupporterPart part={key} value={v} petitionName={petitionName} purposeName={purposeName} /> : <DataView value={v} caption={`${label(source)}: ${label(key)}`} />}
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
        <ScrollingTable label="Consent purposes">
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
        </ScrollingTable>
      )}
    </Layout>
  );
}
