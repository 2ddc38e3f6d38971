import { invalidField, type UploadedFile, type Viewer } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { collectionChoices } from '../collections/collections.ts';
import type { PeopleScope } from '../segments/compile-segment.ts';
import { createImport, sha256 } from './import-store.ts';
import { parseOwner } from '../viewer-scope.ts';

/** Lists an import may add people to: any for admins, a group's own for its organisers. */
export async function importListChoices(q: Q, scope: PeopleScope): Promise<Array<{ value: string; label: string }>> {
  return (await collectionChoices(q, 'list', scope))
    .filter((l) => scope === 'all' || l.groupName !== null)
    .map((l) => ({ value: String(l.id), label: `${l.name} (${l.groupName ?? 'whole coalition'})` }));
}

/**
 * Who an import belongs to and the list it adds people to, from the upload form's `group` and
 * `list` fields. Throws a field problem naming `group` or `list` when the viewer may not choose it.
 */
export async function importOwner(q: Q, scope: PeopleScope, fields: { group: string | undefined; list: string | undefined }): Promise<{ groupId: number | null; listId: number | null }> {
  const groupId = await parseOwner(q, fields.group, scope);
  if (!fields.list) return { groupId, listId: null };
  if (!(await importListChoices(q, scope)).some((l) => l.value === fields.list)) throw invalidField('list', 'Choose one of the lists');
  return { groupId, listId: Number(fields.list) };
}

export interface StartImportProps {
  viewer: Viewer;
  file: UploadedFile;
  groupId: number | null;
  listId: number | null;
  /** The words people agreed to, recorded as their consent's wording. */
  wording: string;
  agreedOn: string | null;
  extraTags: string[];
}

/** Keeps an uploaded file as a new web import, waiting for its columns to be chosen. Returns its id. */
export async function startImport(q: Q, props: StartImportProps): Promise<string> {
  const { viewer, file } = props;
  return createImport(q, {
    source: 'web',
    fileName: file.filename.slice(0, 200),
    fileSha256: sha256(file.data),
    fileBytes: file.data.length,
    content: file.data,
    groupId: props.groupId,
    wording: props.wording,
    agreedOn: props.agreedOn,
    extraTags: props.extraTags,
    listId: props.listId,
    mapping: null,
    createdBy: viewer.id,
    createdByLabel: `${viewer.name} <${viewer.email}>`,
  });
}
