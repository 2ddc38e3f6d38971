import { Readable } from 'node:stream';
import { conflict } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { checkImport } from './check-import.ts';
import { readHead, type FileHead } from './import-batches.ts';
import type { ColumnMapping } from './import-mapping.ts';
import { importContent, saveMapping, saveReport, type PeopleImport } from './import-store.ts';

export interface KeptFile {
  content: Buffer;
  head: FileHead;
}

/** The file of an import, while it is kept; without it the import cannot be mapped or checked. */
export async function keptImportFile(q: Q, plan: PeopleImport): Promise<KeptFile> {
  const content = await importContent(q, plan.id);
  const head = content ? readHead(content) : undefined;
  if (!content || !head) throw conflict('The file of this import is no longer kept. Upload it again.');
  return { content, head };
}

/** The file of an import whose columns may still be chosen (it has not run). */
export async function mappableImportFile(q: Q, plan: PeopleImport): Promise<KeptFile> {
  if (plan.state !== 'uploaded' && plan.state !== 'checked') throw conflict('This import has already run.');
  return keptImportFile(q, plan);
}

export interface MapImportColumnsProps {
  plan: PeopleImport;
  file: KeptFile;
  mapping: ColumnMapping;
}

/** Saves the columns chosen and runs the dry run (files are at most 5 MB: seconds), keeping its report. */
export async function mapImportColumns(q: Q, { plan, file, mapping }: MapImportColumnsProps): Promise<void> {
  await saveMapping(q, plan.id, mapping);
  const report = await checkImport(q, {
    source: Readable.from([file.content]),
    delimiter: file.head.delimiter,
    mapping,
    groupId: plan.groupId,
    extraTags: plan.extraTags,
  });
  await saveReport(q, plan.id, report);
}
