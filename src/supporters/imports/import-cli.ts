import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { findGroupBySlug } from '../../coalition/index.ts';
import type { AppContext } from '../tables.ts';
import { ImportProgress, type Importer, type ImportSummary } from '../../platform/index.ts';
import { checkImport } from './check-import.ts';
import { ensureListNamed } from '../collections/collections.ts';
import { readHead } from './import-batches.ts';
import { guessMapping, importFields, type ColumnMapping } from './import-mapping.ts';
import { importOptionsSchema } from './import-options.ts';
import { createImport, findResumableImport } from './import-store.ts';
import { runImport } from './run-import.ts';

const cliOptions = importOptionsSchema.extend({
  purpose: z.string({ message: 'give --purpose coalition or --purpose <group-slug>: whose updates people agreed to hear about' }).min(1),
  wording: z.string({ message: 'give --wording "...": the exact words people agreed to' }).trim().min(1, { message: 'give --wording "...": the exact words people agreed to' }).max(5000),
  list: z.string().trim().min(1).max(100).optional(),
  dryRun: z.boolean().optional(),
});

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function describeMapping(headers: string[], mapping: ColumnMapping): string {
  return importFields
    .filter((f) => mapping[f.field] !== undefined)
    .map((f) => `${f.label.toLowerCase()} ← "${headers[mapping[f.field]!]}"`)
    .join(', ');
}

function head(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `chorus import people <file> --purpose coalition|<group-slug> --wording "..." [--agreed-on DATE]
 * [--tag X] [--list NAME] [--dry-run]`: columns are recognised from the header (Action Network's
 * export and common variants). Stopped part way, the same command resumes where it stopped.
 */
export const peopleImporter: Importer = {
  description: 'people from a CSV file such as an Action Network export, with their consent',
  async run(ctx: AppContext, file: string, rawOptions: Record<string, unknown> = {}): Promise<ImportSummary> {
    const parsed = cliOptions.safeParse({ ...rawOptions, tags: rawOptions.tag });
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
    const options = parsed.data;
    if (!fs.existsSync(file)) throw new Error(`There is no file ${file}`);
    const group = options.purpose === 'coalition' ? null : await findGroupBySlug(ctx.db, options.purpose);
    if (group === undefined) throw new Error(`--purpose: there is no group with the slug "${options.purpose}" (or use coalition)`);
    const fileHead = readHead(head(file));
    if (!fileHead) throw new Error(`${file} is not a CSV file with a header row`);
    const mapping = guessMapping(fileHead.headers);
    if (mapping.email === undefined) throw new Error(`No email column found among: ${fileHead.headers.join(', ')}`);
    console.error(`Columns: ${describeMapping(fileHead.headers, mapping)}`);
    const open = () => fs.createReadStream(file);

    if (options.dryRun) {
      const report = await checkImport(ctx.db, { source: open(), delimiter: fileHead.delimiter, mapping, groupId: group?.id ?? null, extraTags: options.tags });
      for (const p of report.problems) console.error(`line ${p.line}: ${p.reason}`);
      if (report.fileError) console.error(report.fileError);
      const summary = {
        read: report.rows,
        loaded: 0,
        rejected: report.bad,
        notes: {
          'dry run': 'nothing written',
          'would create': report.wouldCreate,
          'would update': report.wouldUpdate,
          'repeated in file': report.duplicatesInFile,
          'consent to record': report.withConsent,
          'without consent': report.withoutConsent,
        },
        failed: report.fileError !== null,
      };
      console.log(`people (dry run): ${summary.read} rows read, ${summary.rejected} with problems, ${Object.entries(summary.notes).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
      return summary;
    }

    const sha = await fileSha256(file);
    const groupId = group?.id ?? null;
    const resumable = await findResumableImport(ctx.db, { fileSha256: sha, groupId, wording: options.wording });
    const id =
      resumable?.id ??
      (await createImport(ctx.db, {
        source: 'cli',
        fileName: file.split(/[\\/]/).pop()!.slice(0, 200),
        fileSha256: sha,
        fileBytes: fs.statSync(file).size,
        content: null,
        groupId,
        wording: options.wording,
        agreedOn: options.agreedOn ?? null,
        extraTags: options.tags,
        listId: options.list ? await ensureListNamed(ctx.db, options.list, groupId) : null,
        mapping,
        createdBy: null,
        createdByLabel: 'command line',
      }));
    if (resumable) console.error(`Resuming the earlier import of this file after line ${resumable.linesDone}.`);
    const progress = new ImportProgress('people', file);
    const result = await runImport(ctx.db, id, {
      open,
      delimiter: fileHead.delimiter,
      onBatch: ({ bytes, counts }) => progress.update(bytes, counts.rows),
      onProblem: (line, reason) => progress.reject(line, reason),
    });
    if (result.error) console.error(result.error);
    const c = result.counts;
    return progress.finish({
      read: c.rows,
      loaded: c.imported,
      rejected: c.rejected,
      notes: { created: c.created, updated: c.updated, 'consent recorded': c.consentGiven, 'without consent': c.withoutConsent, 'tags added': c.tagsAdded },
      failed: result.outcome === 'failed' || (c.rows > 0 && c.imported === 0),
    });
  },
};
