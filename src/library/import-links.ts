import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DomUtils, parseDocument } from 'htmlparser2';
import { ImportProgress, type Importer, type ImportSummary, type Handle } from '../platform/index.ts';
import { problemsFromZod } from '../platform/index.ts';
import { linkFormSchema, linkInputOf } from './link-form.ts';
import { addLink } from './save-link.ts';
import type { AppContext } from './tables.ts';

/** One link read from a file, with the line (CSV) or item (WXR) it came from, as form fields. */
export interface ImportedRow {
  at: number;
  fields: Record<string, string | string[]>;
}

export type LinksFileKind = 'wxr' | 'csv';

/** A WordPress export (WXR: RSS with the wp: namespace) or, otherwise, a CSV. */
export function detectLinksFile(text: string): LinksFileKind {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 4000);
  return head.startsWith('<') && /<rss[\s>]/i.test(head) && /wordpress\.org\/export/i.test(head) ? 'wxr' : 'csv';
}

const HEADERS: Record<string, string> = {
  url: 'url', link: 'url', address: 'url', href: 'url',
  title: 'title', headline: 'title', name: 'title',
  source: 'source', publication: 'source', publisher: 'source',
  date: 'published_on', published: 'published_on', published_on: 'published_on', 'date published': 'published_on',
  summary: 'summary', description: 'summary', notes: 'summary',
  tags: 'tags', tag: 'tags', categories: 'tags',
  regions: 'regions', region: 'regions',
  constituencies: 'constituencies', constituency: 'constituencies',
};

/** CSV rows with a header naming the columns (url and title needed; the rest optional). */
export function readLinksCsv(text: string): ImportedRow[] {
  const records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const [header, ...rows] = records;
  if (!header) return [];
  const names = header.record.map((h) => HEADERS[h.trim().toLowerCase()]);
  return rows.map(({ record, info }) => {
    const fields: Record<string, string | string[]> = {};
    record.forEach((cell, i) => {
      const name = names[i];
      if (name) fields[name] = name === 'regions' ? cell.split(/[\s,;]+/).filter(Boolean).map((r) => r.toUpperCase()) : cell;
    });
    fields.published_on = isoDateOf(String(fields.published_on ?? ''));
    return { at: info.lines, fields };
  });
}

/** "2024-03-14", "14/03/2024", "2024-03-14 10:00:00" → "2024-03-14"; anything else as it was (the form names it). */
function isoDateOf(text: string): string {
  const t = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(t);
  if (iso) return iso[1]!;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (uk) return `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
  return t;
}

const { getAttributeValue, getElementsByTagName, textContent } = DomUtils;
type Element = ReturnType<typeof getElementsByTagName>[number];

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const childText = (item: Element, tag: string) => {
  const found = getElementsByTagName(tag, item.children, false, 1)[0];
  return found ? textContent(found) : '';
};

/**
 * A WordPress export of a links page: each item's content (pages and posts alike) holds the
 * links as HTML, one to a list item or paragraph ("<a href>Headline</a> – Source, what it says").
 * Each web link there becomes a link: its words the title, the rest of its block the summary, the
 * item's date the date published (unless the block names one) and its tags the tags.
 */
export function readLinksWxr(text: string): ImportedRow[] {
  const doc = parseDocument(text, { xmlMode: true });
  const rows: ImportedRow[] = [];
  const items = getElementsByTagName('item', doc.children, true);
  items.forEach((item, itemIndex) => {
    const status = childText(item, 'wp:status');
    if (status && status !== 'publish') return;
    const postDate = isoDateOf(childText(item, 'wp:post_date'));
    const tags = getElementsByTagName('category', item.children, false)
      .filter((c) => ['post_tag', 'category', 'link_category'].includes(getAttributeValue(c, 'domain') ?? ''))
      .map((c) => squash(textContent(c)))
      .filter((t) => t && t.toLowerCase() !== 'uncategorized');
    const content = childText(item, 'content:encoded');
    const html = parseDocument(content, { decodeEntities: true });
    const blocks = getElementsByTagName((name) => name === 'li' || name === 'p', html.children, true);
    for (const block of blocks) {
      if (getElementsByTagName((name) => name === 'li' || name === 'p', block.children, true).length > 0) continue;
      const anchor = getElementsByTagName('a', block.children, true).find((a) => /^https?:\/\//i.test(getAttributeValue(a, 'href') ?? ''));
      if (!anchor) continue;
      const title = squash(textContent(anchor));
      const whole = squash(textContent(block));
      const rest = squash(whole.replace(title, '')).replace(/^[\s–—:,.-]+/, '');
      const named = /\b(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})\b/.exec(rest);
      const sourceMatch = /^([^,.–—:]{2,60})[,.–—:]\s*(.*)$/.exec(rest);
      rows.push({
        at: itemIndex + 1,
        fields: {
          url: getAttributeValue(anchor, 'href')!,
          title,
          source: sourceMatch ? squash(sourceMatch[1]!) : '',
          published_on: named ? isoDateOf(named[1]!) : postDate,
          summary: squash((sourceMatch ? sourceMatch[2]! : rest).replace(named?.[0] ?? '\u0000', '')).replace(/^[\s–—:,.-]+/, ''),
          tags: tags.join(', '),
        },
      });
    }
  });
  return rows;
}

export interface ImportCounts {
  read: number;
  added: number;
  alreadyThere: number;
  rejected: number;
}

/** Adds each row that is not there yet (same canonical address): running a file again adds nothing twice. */
export async function importLinkRows(q: Handle, rows: ImportedRow[], report: { progress?: (done: number) => void; reject?: (at: number, reason: string) => void } = {}): Promise<ImportCounts> {
  const counts: ImportCounts = { read: rows.length, added: 0, alreadyThere: 0, rejected: 0 };
  for (const [i, row] of rows.entries()) {
    const form = linkFormSchema.safeParse({ group: '', regions: [], ...row.fields });
    if (!form.success) {
      counts.rejected++;
      report.reject?.(row.at, problemsFromZod(form.error).map((p) => `${p.field}: ${p.message}`).join('; '));
    } else {
      try {
        const outcome = await addLink(q, null, linkInputOf(form.data), { addedByName: 'Import' });
        if (outcome.ok) counts.added++;
        else counts.alreadyThere++;
      } catch (error) {
        counts.rejected++;
        report.reject?.(row.at, error instanceof Error ? error.message : String(error));
      }
    }
    report.progress?.(i + 1);
  }
  return counts;
}

/** `chorus import links <file>`: a CSV or a WordPress (WXR) export, told apart by what it holds. */
export const linksImporter: Importer = {
  description: 'news links from a CSV (url, title, source, date, summary, tags) or a WordPress export (WXR) of a links page',
  async run(ctx: AppContext, file: string): Promise<ImportSummary> {
    const text = fs.readFileSync(file, 'utf8');
    const kind = detectLinksFile(text);
    const rows = kind === 'wxr' ? readLinksWxr(text) : readLinksCsv(text);
    const progress = new ImportProgress(`links (${kind === 'wxr' ? 'WordPress export' : 'CSV'})`, file);
    const bytes = Buffer.byteLength(text);
    const counts = await importLinkRows(ctx.db, rows, {
      progress: (done) => progress.update(Math.round((done / Math.max(1, rows.length)) * bytes), done),
      reject: (at, reason) => progress.reject(at, reason),
    });
    return progress.finish({ read: counts.read, loaded: counts.added, rejected: counts.rejected, notes: { 'already there': counts.alreadyThere, format: kind }, failed: counts.read > 0 && counts.added + counts.alreadyThere === 0 });
  },
};
