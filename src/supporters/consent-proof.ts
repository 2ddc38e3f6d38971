import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { csvStream } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { consentEventsOf, consentsOf } from './consent.ts';

const PAGE = 1000;

export const PURPOSE_PROOF_COLUMNS = ['person_id', 'email', 'purpose', 'wording_version', 'wording', 'given_at', 'method', 'source', 'first_source'];

/** Everyone with a live consent for a purpose, read page by page as the download goes. */
async function* livePurposeRows(q: Q, purposeId: number): AsyncGenerator<unknown[]> {
  let after = 0;
  for (;;) {
    const page = await sql<{
      id: number;
      public_id: string;
      email: string | null;
      key: string;
      version: number | null;
      wording: string | null;
      given_at: Date | null;
      method: string;
      source: string | null;
      first_source: string | null;
    }>`
      select p.id, p.public_id, p.email, cp.key, w.version, w.wording, c.given_at, c.method, c.source,
        concat_ws(' ', nullif(p.source_method, ''), 'utm_source=' || p.source_utm_source, 'utm_campaign=' || p.source_utm_campaign,
          'referrer=' || p.source_referrer) as first_source
      from consents c
      join people p on p.id = c.person_id
      join consent_purposes cp on cp.id = c.purpose_id
      left join consent_wordings w on w.id = c.wording_id
      where c.purpose_id = ${purposeId} and c.status = 'given' and p.id > ${after}
      order by p.id limit ${PAGE}`.execute(q);
    for (const r of page.rows) yield [r.public_id, r.email, r.key, r.version, r.wording, r.given_at, r.method, r.source, r.first_source];
    if (page.rows.length < PAGE) return;
    after = page.rows[page.rows.length - 1]!.id;
  }
}

/** CSV of every live consent for a purpose, streamed. */
export function purposeProofCsv(q: Q, purposeId: number): Readable {
  return csvStream(PURPOSE_PROOF_COLUMNS, livePurposeRows(q, purposeId));
}

export const PERSON_PROOF_COLUMNS = ['purpose', 'event', 'wording_version', 'wording', 'method', 'source', 'ip', 'occurred_at'];

/** CSV of one person's consent history: every request, confirmation and withdrawal. */
export async function personProofCsv(q: Q, personId: number, purposeIds: number[] | 'all'): Promise<Readable> {
  const events = await consentEventsOf(q, personId, purposeIds);
  return csvStream(
    PERSON_PROOF_COLUMNS,
    (async function* () {
      for (const e of events) yield [e.purposeKey, e.event, e.wording?.version, e.wording?.text, e.method, e.source, e.ip, e.occurredAt];
    })(),
  );
}

/** JSON of one person's consents (current state) and their history. */
export async function personProofJson(q: Q, personId: number, purposeIds: number[] | 'all'): Promise<unknown> {
  return { consents: await consentsOf(q, personId, purposeIds), events: await consentEventsOf(q, personId, purposeIds) };
}
