import fs from 'node:fs';
import { sql } from 'kysely';
import { ImportProgress, type Importer } from '../../platform/index.ts';
import { failedRun, Rejections, unreadableReason, type ImportOptions, type ImportResult } from '../import-file.ts';
import type { Db, Q } from '../tables.ts';

const MAX_BYTES = 50 * 1024 * 1024;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,255}\.[a-z]{2,63}$/i;

/** One entry of the Members API's Contact list (GET /api/Members/{id}/Contact → { value: [...] }). */
interface ApiContact {
  type?: unknown;
  typeDescription?: unknown;
  typeId?: unknown;
  isPreferred?: unknown;
  isWebAddress?: unknown;
  line1?: unknown;
  line2?: unknown;
  line3?: unknown;
  line4?: unknown;
  line5?: unknown;
  postcode?: unknown;
  phone?: unknown;
  email?: unknown;
}

export interface MpContactRow {
  parliamentId: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  postcode: string | null;
  bluesky: string | null;
  mastodon: string | null;
  x: string | null;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 300) : null);

/** A profile address as a handle people can mention: "@name" on X, "@name.bsky.social" on Bluesky, "@name@server" on Mastodon. */
export function handleFrom(kind: 'x' | 'bluesky' | 'mastodon', address: string): string | null {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(address) ? address : `https://${address}`);
  } catch {
    return /^@[\w.@-]{1,100}$/.test(address) ? address : null;
  }
  const part = url.pathname.split('/').filter(Boolean);
  if (kind === 'x') return /^(?:www\.)?(?:x|twitter)\.com$/i.test(url.hostname) && part[0] && /^\w{1,15}$/.test(part[0]) ? `@${part[0]}` : null;
  if (kind === 'bluesky') return /bsky\.app$/i.test(url.hostname) && part[0] === 'profile' && part[1] && /^[\w.-]{1,253}$/.test(part[1]) ? `@${part[1]}` : null;
  const user = part[0]?.replace(/^@/, '');
  return user && /^\w{1,64}$/.test(user) && /^[a-z0-9.-]{3,253}$/i.test(url.hostname) ? `@${user}@${url.hostname.toLowerCase()}` : null;
}

/** Reads one member's Contact list: the parliamentary office's email and address, and their social accounts. */
export function readContacts(parliamentId: string, list: unknown): MpContactRow | string {
  if (!/^\d{1,7}$/.test(parliamentId)) return `"${parliamentId.slice(0, 20)}" is not a member id (a number, like 172)`;
  if (!Array.isArray(list)) return `member ${parliamentId} has no "value" list of contacts`;
  const row: MpContactRow = { parliamentId, email: null, phone: null, address: null, postcode: null, bluesky: null, mastodon: null, x: null };
  const entries = list.filter((e): e is ApiContact => !!e && typeof e === 'object');
  const kindOf = (e: ApiContact) => `${text(e.type) ?? ''} ${text(e.typeDescription) ?? ''}`.toLowerCase();
  const office = entries.find((e) => kindOf(e).includes('parliamentary')) ?? entries.find((e) => e.isPreferred === true && text(e.email));
  const email = text(office?.email) ?? text(entries.find((e) => text(e.email))?.email);
  row.email = email && EMAIL.test(email) ? email : null;
  if (office) {
    row.phone = text(office.phone);
    row.address = [office.line1, office.line2, office.line3, office.line4, office.line5].map(text).filter(Boolean).join('\n') || null;
    row.postcode = text(office.postcode);
  }
  for (const e of entries) {
    const kind = kindOf(e);
    const address = text(e.line1);
    if (!address) continue;
    if (/twitter|\bx\b/.test(kind)) row.x ??= handleFrom('x', address);
    else if (kind.includes('bluesky')) row.bluesky ??= handleFrom('bluesky', address);
    else if (kind.includes('mastodon')) row.mastodon ??= handleFrom('mastodon', address);
  }
  return row;
}

/** The member id of a single Contact response, from its own link ("/Members/172/Contact"). */
function selfId(document: Record<string, unknown>): string | undefined {
  const links = Array.isArray(document.links) ? (document.links as Array<Record<string, unknown>>) : [];
  for (const link of links) {
    const match = typeof link?.href === 'string' ? /\/Members\/(\d+)\/Contact/i.exec(link.href) : null;
    if (match) return match[1];
  }
  return undefined;
}

export async function upsertMpContacts(q: Q, rows: MpContactRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: MpContactRow) => T) => rows.map(pick);
  await sql`
    insert into mp_contacts (parliament_id, office_email, office_phone, address, postcode, bluesky, mastodon, x)
    select * from unnest(${col((r) => r.parliamentId)}::text[], ${col((r) => r.email)}::text[], ${col((r) => r.phone)}::text[], ${col((r) => r.address)}::text[],
      ${col((r) => r.postcode)}::text[], ${col((r) => r.bluesky)}::text[], ${col((r) => r.mastodon)}::text[], ${col((r) => r.x)}::text[])
    on conflict (parliament_id) do update set office_email = excluded.office_email, office_phone = excluded.office_phone, address = excluded.address, postcode = excluded.postcode,
      bluesky = excluded.bluesky, mastodon = excluded.mastodon, x = excluded.x, imported_at = now()`.execute(q);
}

/**
 * Loads MPs' contact details in the UK Parliament Members API's format: the JSON that
 * /api/Members/{id}/Contact returns (its id read from its own link), or an object of them keyed by member id.
 */
export async function importMpContacts(db: Db, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const out = options.out ?? process.stderr;
  const unreadable = unreadableReason(file);
  if (unreadable) return failedRun(out, unreadable);
  if (fs.statSync(file).size > MAX_BYTES) return failedRun(out, `${file} is too large to be MPs' contact details (over 50 MB).`);
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return failedRun(out, `${file} is not valid JSON (${(error as Error).message.split('\n')[0]}).`);
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) return failedRun(out, `${file} does not look like Members API contact details: expected an object.`);
  const doc = document as Record<string, unknown>;
  let members: Array<[string, unknown]>;
  if (Array.isArray(doc.value)) {
    const id = selfId(doc);
    if (!id) return failedRun(out, `${file} is one member's contact list but says not whose: its "links" have no /Members/{id}/Contact. Save it keyed by member id: {"172": {...}}.`);
    members = [[id, doc.value]];
  } else {
    members = Object.entries(doc).map(([id, v]) => [id.trim(), v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).value : v]);
  }
  const progress = new ImportProgress('mp-contacts', file, out);
  const rejections = new Rejections(out);
  rejections.progress = progress;
  const good: MpContactRow[] = [];
  members.forEach(([id, list], i) => {
    const row = readContacts(id, list);
    if (typeof row === 'string') rejections.add(i + 1, row);
    else good.push(row);
  });
  progress.update(progress.total, members.length);
  if (good.length > 0) await upsertMpContacts(db, good);
  const known = good.length ? await db.selectFrom('mps').select(sql<number>`count(*)::int`.as('n')).where('parliament_id', 'in', good.map((g) => g.parliamentId)).executeTakeFirstOrThrow() : { n: 0 };
  const summary = progress.finish({ read: members.length, loaded: good.length, rejected: rejections.count, notes: { 'matched to MPs': known.n, 'with email': good.filter((g) => g.email).length }, failed: good.length === 0 });
  return { ...summary, problems: rejections.problems };
}

export const mpContactsImporter: Importer = {
  description: 'MPs’ contact details and social accounts (UK Parliament Members API Contact JSON)',
  run: (ctx, file) => importMpContacts(ctx.db, file),
};
