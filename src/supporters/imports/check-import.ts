import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Q } from '../tables.ts';
import { findPurposeId } from '../consent-purposes.ts';
import { parsedBatches, placesOf, validRows } from './import-batches.ts';
import type { ColumnMapping } from './import-mapping.ts';
import { FileProblem } from './import-rows.ts';
import type { ImportReport } from './import-store.ts';

const LISTED_PROBLEMS = 500;
const LISTED_DUPLICATES = 100;

export interface CheckImportProps {
  source: Readable;
  delimiter: string;
  mapping: ColumnMapping;
  groupId: number | null;
  extraTags: string[];
  batchSize?: number;
}

/**
 * The dry run: reads the whole file and says what an import would do (people created or
 * updated, consent recorded or not, tags new) and which rows are wrong, by line number.
 * Writes nothing.
 */
export async function checkImport(q: Q, props: CheckImportProps): Promise<ImportReport> {
  const report: ImportReport = {
    rows: 0,
    valid: 0,
    bad: 0,
    wouldCreate: 0,
    wouldUpdate: 0,
    duplicatesInFile: 0,
    withConsent: 0,
    withoutConsent: 0,
    consentAlreadyGiven: 0,
    consentWithdrawnKept: 0,
    postcodesNotFound: 0,
    newTags: [],
    problems: [],
    duplicates: [],
    lastLine: 0,
    fileError: null,
  };
  const purposeId = await findPurposeId(q, props.groupId);
  const knownTags = new Set(
    (
      await q
        .selectFrom('tags')
        .select('name')
        .where(sql<boolean>`group_id is not distinct from ${props.groupId}`)
        .execute()
    ).map((t) => t.name.toLowerCase()),
  );
  const newTags = new Map<string, string>();
  const noteTag = (name: string) => {
    if (!knownTags.has(name.toLowerCase()) && !newTags.has(name.toLowerCase())) newTags.set(name.toLowerCase(), name);
  };
  props.extraTags.forEach(noteTag);
  const firstLineOf = new Map<string, number>();

  try {
    for await (const batch of parsedBatches(props.source, { delimiter: props.delimiter, mapping: props.mapping, batchSize: props.batchSize ?? 1000 })) {
      report.lastLine = batch.lastLine;
      report.rows += batch.lines.length;
      for (const line of batch.lines) {
        if ('problem' in line) {
          report.bad++;
          if (report.problems.length < LISTED_PROBLEMS) report.problems.push({ line: line.line, reason: line.problem });
        }
      }
      const valid = validRows(batch.lines);
      report.valid += valid.length;
      const emails = [...new Set(valid.map((v) => v.row.canonicalEmail))];
      const existing = new Map(
        (
          await sql<{ canonical_email: string; status: string | null }>`
            select p.canonical_email, c.status from people p
            left join consents c on c.person_id = p.id and c.purpose_id = ${purposeId ?? null}
            where p.canonical_email = any(${emails}::text[]) and p.merged_into_id is null
              and (${props.groupId}::int is null
                or exists (select 1 from person_groups pg where pg.person_id = p.id and pg.group_id = ${props.groupId}::int))`.execute(q)
        ).rows.map((r) => [r.canonical_email, r.status]),
      );
      const places = await placesOf(
        q,
        valid.map((v) => v.row),
      );
      for (const { line, row } of valid) {
        row.tags.forEach(noteTag);
        if (row.postcode && row.ukPostcode && places.get(row.postcode)?.status !== 'found') report.postcodesNotFound++;
        const firstLine = firstLineOf.get(row.canonicalEmail);
        if (firstLine !== undefined) {
          report.duplicatesInFile++;
          if (report.duplicates.length < LISTED_DUPLICATES) report.duplicates.push({ line, firstLine });
          continue;
        }
        firstLineOf.set(row.canonicalEmail, line);
        const known = existing.has(row.canonicalEmail);
        if (known) report.wouldUpdate++;
        else report.wouldCreate++;
        const status = existing.get(row.canonicalEmail);
        if (!row.subscribed) report.withoutConsent++;
        else if (status === 'given') report.consentAlreadyGiven++;
        else if (status === 'withdrawn') report.consentWithdrawnKept++;
        else report.withConsent++;
      }
    }
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    report.fileError = error.message;
  }
  report.newTags = [...newTags.values()].slice(0, 200);
  return report;
}
