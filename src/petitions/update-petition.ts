import { slugify } from '../coalition/index.ts';
import { conflict, invalidField, notFound, SHARE_IMAGE_MIN, storeImage, type UploadedFile, type Viewer } from '../platform/index.ts';
import type { PetitionsTable, Q } from './tables.ts';
import { closingNeedsAgreement } from './close-agreements.ts';
import { closingDateProblem } from './closing-date.ts';
import { lockPetition, replaceMilestones, setPetitionGroups } from './admin-store.ts';
import { checkPetitionGroups, type PetitionWording } from './create-petition.ts';
import { petitionFor } from './petition-access.ts';
import { auditPetition } from './petition-audit.ts';
import type { MilestoneInput } from './petition-form.ts';
import { EDITABLE_STATES } from './states.ts';
import { findPetition } from './store.ts';
import { OPENED_EDITABLE_STATES } from './transitions.ts';
import type { Updateable } from 'kysely';

export interface UpdatePetitionProps {
  actor: Viewer;
  petitionId: number;
  /** New wording and groups: only while the petition is a draft or awaiting moderation. */
  wording?: PetitionWording | undefined;
  /** YYYY-MM-DD; undefined keeps the current date. Not for closed petitions (reopen instead). */
  closingDate?: string | undefined;
  milestones: MilestoneInput[];
  image?: { file: UploadedFile; alt: string } | undefined;
  /** A new description for the current image. */
  imageAlt?: string | undefined;
  removeImage?: boolean | undefined;
}

/**
 * Edits a petition. Before it opens, everything may change; once people can sign, the wording
 * they signed stays and only the closing date, milestones and image change.
 */
export async function updatePetition(q: Q, props: UpdatePetitionProps): Promise<void> {
  const { actor, petitionId } = props;
  if (!(await lockPetition(q, petitionId))) throw notFound('petition');
  const before = await petitionFor(q, actor, petitionId, 'edit');
  const wordingEditable = EDITABLE_STATES.includes(before.state);
  if (!wordingEditable && !OPENED_EDITABLE_STATES.includes(before.state)) {
    throw conflict('A rejected or hidden petition cannot be edited. An admin can reopen it first.');
  }
  if (props.wording && !wordingEditable) {
    throw conflict('The wording cannot change once the petition has opened: people have signed it as it is.');
  }
  if (props.closingDate !== undefined && before.state === 'closed') {
    throw conflict('This petition has closed. An admin can reopen it with a new closing date.');
  }

  if (props.closingDate !== undefined && props.closingDate !== before.closingDate) {
    const problem = closingDateProblem(props.closingDate);
    if (problem) throw invalidField('closing_date', problem);
  }
  // An earlier date ends a shared petition early: that takes every group's agreement (the close
  // button) or an admin, so one group cannot do it alone by editing the date.
  const sooner = props.closingDate !== undefined && (before.closingDate === null || props.closingDate < before.closingDate);
  if (before.state === 'open' && sooner && closingNeedsAgreement(actor, before)) {
    const others = before.groups.map((g) => g.name).join(', ');
    throw invalidField(
      'closing_date',
      `This petition is shared by ${others}, so it can close sooner only if every group agrees (use Agree to close now) or an admin closes it. Keep the closing date or choose a later one`,
    );
  }

  const changes: Updateable<PetitionsTable> = { updated_at: new Date() };
  if (props.wording) {
    const { wording } = props;
    const allowed = await checkPetitionGroups(q, actor, wording.groupIds);
    // An organiser sees only their own groups on the form, so the petition keeps any other groups it has.
    const kept = allowed === 'all' ? [] : before.groups.map((g) => g.id).filter((id) => !allowed.includes(id));
    const groupIds = [...new Set([...wording.groupIds, ...kept])];
    if (groupIds.length === 0) throw invalidField('groups', 'Choose at least one group');
    await setPetitionGroups(q, petitionId, groupIds);
    Object.assign(changes, {
      action: wording.action,
      slug: slugify(wording.action) || 'petition',
      background: wording.background,
      additional_details: wording.additionalDetails,
      target: wording.target,
    });
  }
  if (wordingEditable) changes.closing_date = props.closingDate ?? null;
  else if (props.closingDate !== undefined) changes.closing_date = props.closingDate;

  if (props.image) {
    changes.image_media_id = await storeImage(q, 'image', props.image.file, SHARE_IMAGE_MIN);
    changes.image_alt = props.image.alt;
  } else if (props.removeImage) {
    changes.image_media_id = null;
    changes.image_alt = null;
  } else if (props.imageAlt && before.imageUrl) {
    changes.image_alt = props.imageAlt;
  }

  await q.updateTable('petitions').set(changes).where('id', '=', petitionId).execute();
  await replaceMilestones(q, petitionId, props.milestones);
  await auditPetition(q, actor, 'petition.update', before, await findPetition(q, petitionId));
}
