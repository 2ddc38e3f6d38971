import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { AppContext } from '../context.ts';

/** What an import run ends with: printed as a summary, and failed when nothing could load. */
export interface ImportSummary {
  read: number;
  loaded: number;
  rejected: number;
  /** Extra figures worth printing (e.g. terminated postcodes). */
  notes: Record<string, number | string>;
  failed: boolean;
}

export interface Importer {
  description: string;
  /** `options`: the command line's import options (e.g. --purpose for people); importers ignore others'. */
  run(ctx: AppContext, file: string, options?: Record<string, unknown>): Promise<ImportSummary>;
}

/**
 * Progress and problems for a long import: a progress bar on the bytes read (on a terminal), one
 * line per bad row with its line number and reason, and a summary at the end.
 */
export class ImportProgress {
  private bar: cliProgress.SingleBar | undefined;
  private lastPlain = 0;
  readonly total: number;
  private rejectedShown = 0;

  constructor(private readonly label: string, file: string, private readonly out: NodeJS.WriteStream = process.stderr) {
    this.total = fs.statSync(file).size;
    if (out.isTTY) {
      this.bar = new cliProgress.SingleBar(
        { format: `${label} [{bar}] {percentage}% | {rows} rows | {eta_formatted} left`, stream: out, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(this.total, 0, { rows: 0 });
    }
  }

  update(bytes: number, rows: number): void {
    if (this.bar) {
      this.bar.update(bytes, { rows });
    } else if (Date.now() - this.lastPlain > 2000) {
      this.lastPlain = Date.now();
      this.out.write(`${this.label}: ${Math.round((bytes / Math.max(1, this.total)) * 100)}% (${rows} rows)\n`);
    }
  }

  reject(line: number, reason: string): void {
    this.rejectedShown++;
    if (this.rejectedShown <= 200) {
      this.bar?.stop();
      this.out.write(`line ${line}: ${reason}\n`);
      if (this.bar) this.bar.start(this.total, 0);
    } else if (this.rejectedShown === 201) {
      this.out.write('(more rejected rows are counted but not listed)\n');
    }
  }

  finish(summary: ImportSummary): ImportSummary {
    this.bar?.update(this.total);
    this.bar?.stop();
    const notes = Object.entries(summary.notes).map(([k, v]) => `, ${k}: ${v}`).join('');
    process.stdout.write(`${this.label}: ${summary.read} rows read, ${summary.loaded} loaded, ${summary.rejected} rejected${notes}\n`);
    return summary;
  }
}
