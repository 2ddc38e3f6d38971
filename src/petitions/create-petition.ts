import { assertGroupsExist, groupIdsFor, slugify } from '../coalition/index.ts';
import { forbidden, invalidField, SHARE_IMAGE_MIN, storeImage, type UploadedFile, type Viewer } from '../platform/index.ts';
import type { Q } from './tables.ts';
import { closingDateProblem } from './closing-date.ts';
import { replaceMilestones, setPetitionGroups } from './admin-store.ts';
import { auditPetition } from './petition-audit.ts';
import type { MilestoneInput } from './petition-form.ts';
import { findPetition } from './store.ts';

export interface PetitionWording {
  groupIds: number[];
  action: string;
  background: string;
  additionalDetails: string;
  target: string;
}

export interface CreatePetitionProps extends PetitionWording {
  actor: Viewer;
  /** YYYY-MM-DD; when absent the petition closes six months after it opens. */
  closingDate?: string | undefined;
  milestones: MilestoneInput[];
  image?: { file: UploadedFile; alt: string } | undefined;
}

/**
 * Checks the groups a petition is made for: they must exist, and an organiser may choose only
 * groups they organise for. Returns the ids the actor may act for ('all' for admins).
 */
export async function checkPetitionGroups(q: Q, actor: Viewer, groupIds: number[]): Promise<number[] | 'all'> {
  const allowed = await groupIdsFor(q, actor);
  if (allowed !== 'all' && groupIds.some((id) => !allowed.includes(id))) {
    throw forbidden('You can only make petitions for groups you organise for.');
  }
  await assertGroupsExist(q, 'groups', groupIds);
  return allowed;
}

/** Makes a draft petition for one or more member groups. Admins and group organisers only. */
export async function createPetition(q: Q, props: CreatePetitionProps): Promise<number> {
  const { actor } = props;
  if (actor.role !== 'admin' && actor.role !== 'organiser') throw forbidden('Only group organisers and admins make petitions.');
  if (props.groupIds.length === 0) throw invalidField('groups', 'Choose at least one group');
  await checkPetitionGroups(q, actor, props.groupIds);
  const problem = props.closingDate ? closingDateProblem(props.closingDate) : undefined;
  if (problem) throw invalidField('closing_date', problem);
  const imageId = props.image ? await storeImage(q, 'image', props.image.file, SHARE_IMAGE_MIN) : null;
  const row = await q
    .insertInto('petitions')
    .values({
      slug: slugify(props.action) || 'petition',
      action: props.action,
      background: props.background,
      additional_details: props.additionalDetails,
      target: props.target,
      state: 'draft',
      closing_date: props.closingDate ?? null,
      image_media_id: imageId,
      image_alt: props.image ? props.image.alt : null,
      created_by: actor.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setPetitionGroups(q, row.id, props.groupIds);
  await replaceMilestones(q, row.id, props.milestones);
  await auditPetition(q, actor, 'petition.create', undefined, await findPetition(q, row.id));
  return row.id;
}
