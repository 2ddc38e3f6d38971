import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { csvStream, recordAudit, type Viewer } from '../../platform/index.ts';
import type { Db } from '../tables.ts';
import { streamSegment, type PeopleScope, type SegmentPerson } from './compile-segment.ts';
import type { SavedSegment } from './segment-store.ts';

export const exportColumns = [
  'person_id',
  'email',
  'email_status',
  'first_name',
  'last_name',
  'phone',
  'postcode',
  'constituency_code',
  'region_code',
  'country',
  'created_at',
  'tags',
] as const;

/** Tag names per person, limited to the tags the viewer may see. */
async function tagsOf(db: Db, people: number[], scope: PeopleScope): Promise<Map<number, string>> {
  const visible = scope === 'all' ? sql<boolean>`true` : sql<boolean>`(tg.group_id is null or tg.group_id = any(${scope}::int[]))`;
  const rows = await sql<{ person_id: number; names: string }>`
    select t.person_id, string_agg(tg.name, ', ' order by lower(tg.name)) as names
    from taggings t join tags tg on tg.id = t.tag_id
    where t.person_id = any(${people}::bigint[]) and ${visible}
    group by t.person_id`.execute(db);
  return new Map(rows.rows.map((r) => [r.person_id, r.names]));
}

function record(p: SegmentPerson, tags: string | undefined): unknown[] {
  return [
    p.public_id,
    p.email,
    p.email_status,
    p.given_name,
    p.family_name,
    p.phone,
    p.postcode,
    p.constituency_code,
    p.region_code,
    p.country_code,
    p.created_at,
    tags,
  ];
}

/**
 * The segment as CSV, produced batch by batch (keyset pagination), so memory stays flat however
 * many people match. Who exported which segment, and how many rows went out (also when the
 * download was cut short), is written to the audit log when the stream ends.
 */
export function exportSegmentCsv(db: Db, segment: SavedSegment, scope: PeopleScope, actor: Viewer, options: { batchSize?: number } = {}): Readable {
  async function* rows() {
    let sent = 0;
    let complete = false;
    try {
      for await (const batch of streamSegment(db, segment.definition, scope, { batchSize: options.batchSize ?? 1000 })) {
        const tags = await tagsOf(
          db,
          batch.map((p) => p.id),
          scope,
        );
        for (const person of batch) {
          yield record(person, tags.get(person.id));
          sent++;
        }
      }
      complete = true;
    } finally {
      await recordAudit(db, {
        actor,
        action: 'segment.export',
        subjectType: 'segment',
        subjectId: segment.id,
        after: { name: segment.name, rows: sent, complete, scope },
      });
    }
  }
  // A download cut short stops the queries and still reaches the audit entry in `finally`.
  return csvStream(exportColumns, rows());
}
