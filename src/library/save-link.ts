import { constituencyNames, regionNames } from '../politics/index.ts';
import { findGroupsByIds } from '../coalition/index.ts';
import { invalidField, recordAudit, type Handle, type Viewer } from '../platform/index.ts';
import { canonicalUrl } from './canonical-url.ts';
import { linkToManage, mayUseGroup } from './link-access.ts';
import { deleteLinkRow, findLink, findLinkByCanonicalUrl, insertLink, updateLinkRow, type Link, type LinkInput } from './store.ts';
import { libraryQ } from './tables.ts';

/** Saved, or refused because the same article is already there (shown with a link to it). */
export type SaveLinkOutcome = { ok: true; id: number } | { ok: false; duplicateOf: Link };

const snapshot = (l: Pick<LinkInput, 'url' | 'title' | 'source' | 'publishedOn' | 'tags' | 'groupId'>) => ({ url: l.url, title: l.title, source: l.source, publishedOn: l.publishedOn, tags: l.tags, groupId: l.groupId });

/** The places and group must exist, and the group must be one the viewer may use. */
async function checkInput(q: Handle, viewer: Viewer | null, input: LinkInput): Promise<void> {
  if (input.constituencyCodes.length > 0) {
    const known = await constituencyNames(q, input.constituencyCodes);
    const unknown = input.constituencyCodes.find((c) => !known.has(c));
    if (unknown) throw invalidField('constituencies', `There is no constituency with the code ${unknown}`);
  }
  if (input.regionCodes.length > 0) {
    const regions = await regionNames(q);
    if (input.regionCodes.some((r) => !regions.has(r))) throw invalidField('regions', 'Choose regions from the list');
  }
  if (input.groupId !== null && (await findGroupsByIds(q, [input.groupId])).length === 0) throw invalidField('group', 'Choose a group from the list');
  if (viewer && !(await mayUseGroup(q, viewer, input.groupId))) throw invalidField('group', input.groupId === null ? 'Choose one of your groups' : 'Choose a group you organise for');
}

/**
 * Adds a link. The canonical address (`<link rel=canonical>` when the page named one, else the
 * address given) is the duplicate key: the same article twice is refused with the one already
 * there. `viewer` null: an import (no group check, added by the import's name).
 */
export async function addLink(q: Handle, viewer: Viewer | null, input: LinkInput, options: { canonical?: string | undefined; addedByName?: string } = {}): Promise<SaveLinkOutcome> {
  await checkInput(q, viewer, input);
  const keys = [...new Set([canonicalUrl(input.url), ...(options.canonical ? [canonicalUrl(options.canonical)] : [])])];
  for (const key of keys) {
    const existing = await findLinkByCanonicalUrl(q, key);
    if (existing) return { ok: false, duplicateOf: existing };
  }
  const key = keys[keys.length - 1]!;
  const id = await insertLink(libraryQ(q), input, key, { id: viewer?.id ?? null, name: viewer?.name ?? options.addedByName ?? 'Import' });
  if (id === undefined) return { ok: false, duplicateOf: (await findLinkByCanonicalUrl(q, key))! };
  if (viewer) await recordAudit(q, { actor: viewer, action: 'link.create', subjectType: 'link', subjectId: id, after: snapshot(input) });
  return { ok: true, id };
}

/** Changes a link; a new address that is another link's is refused the same way. */
export async function editLink(q: Handle, viewer: Viewer, id: number, input: LinkInput): Promise<SaveLinkOutcome> {
  const before = await linkToManage(q, viewer, id);
  await checkInput(q, viewer, input);
  const key = canonicalUrl(input.url) === canonicalUrl(before.url) ? before.canonicalUrl : canonicalUrl(input.url);
  const existing = await findLinkByCanonicalUrl(q, key);
  if (existing && existing.id !== id) return { ok: false, duplicateOf: existing };
  await updateLinkRow(libraryQ(q), id, input, key);
  await recordAudit(q, { actor: viewer, action: 'link.update', subjectType: 'link', subjectId: id, before: snapshot(before), after: snapshot(input) });
  return { ok: true, id };
}

/** Deletes a link, keeping what it was in the audit log. */
export async function deleteLink(q: Handle, viewer: Viewer, id: number): Promise<void> {
  const before = await linkToManage(q, viewer, id);
  await deleteLinkRow(libraryQ(q), id);
  await recordAudit(q, { actor: viewer, action: 'link.delete', subjectType: 'link', subjectId: id, before: snapshot(before) });
}

export { findLink };
