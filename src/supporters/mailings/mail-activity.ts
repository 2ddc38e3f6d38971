import { groupIdsFor } from '../../coalition/index.ts';
import { invalidFields, problemsFromZod, type Handle, type Viewer } from '../../platform/index.ts';
import { supportersQ } from '../tables.ts';
import { countSegment } from '../segments/compile-segment.ts';
import { createSegment } from '../segments/segment-store.ts';
import type { SegmentDefinition } from '../segments/definition.ts';
import { purposeChoices } from './access.ts';
import { countAudience } from './audience.ts';
import { mailingForm, saveMailing } from './save-mailing.ts';

/**
 * A mailing to the people who did something another capability records (booked on an event),
 * for that capability's pages ("message everyone booked"). It is an ordinary mailing to a saved
 * segment of one condition (platform/person-activity.ts), so every rule of mailings holds: only
 * people with a live consent for the sender's purpose and a deliverable address receive it,
 * checked again as each message is sent.
 */

export interface ActivitySubject {
  /** A condition another capability offers: 'event.booked'. */
  activity: string;
  subjectId: number;
}

const definitionOf = (s: ActivitySubject): SegmentDefinition => ({ version: 1, match: 'all', conditions: [{ kind: 'activity', activity: s.activity, subjectId: s.subjectId, not: false }] });

export interface ActivitySender {
  purposeId: number;
  name: string;
  groupId: number | null;
  /** How many of the people would receive a mailing sent as this purpose now. */
  willReceive: number;
}

/**
 * Who could send to these people, and to how many: the purposes the viewer may send as, from
 * the given groups (and, for admins, the coalition), each with how many would receive it; and
 * how many of the people the viewer can see at all.
 */
export async function activityMailingChoices(handle: Handle, viewer: Viewer, subject: ActivitySubject, groupIds: readonly number[]): Promise<{ people: number; senders: ActivitySender[] }> {
  const q = supportersQ(handle);
  const scope = await groupIdsFor(q, viewer);
  const definition = definitionOf(subject);
  const purposes = (await purposeChoices(q, scope)).filter((p) => (p.groupId === null ? scope === 'all' : groupIds.includes(p.groupId)));
  const people = await countSegment(q, definition, scope);
  const senders: ActivitySender[] = [];
  for (const p of purposes) {
    const willReceive = await countAudience(q, { purposeId: p.id, groupId: p.groupId, segment: { name: '', groupId: p.groupId, definition } });
    senders.push({ purposeId: p.id, name: p.name, groupId: p.groupId, willReceive });
  }
  return { people, senders };
}

/**
 * Saves a draft mailing to these people: a segment for them (the sender's group's), then the
 * mailing, as the compose page would. Problems are named by the compose form's fields
 * (purpose_id, subject, body). Returns the mailing's id: its page previews, tests and sends it.
 */
export async function draftActivityMailing(
  handle: Handle,
  actor: Viewer,
  props: { subject: ActivitySubject; groupIds: readonly number[]; segmentName: string; fields: unknown; maxRate: number },
): Promise<number> {
  const q = supportersQ(handle);
  const form = mailingForm(props.maxRate).safeParse({ ...(typeof props.fields === 'object' && props.fields !== null ? props.fields : {}), segment_id: undefined, rate_per_second: undefined });
  const { senders } = await activityMailingChoices(q, actor, props.subject, props.groupIds);
  const sender = form.success ? senders.find((s) => s.purposeId === form.data.purpose_id) : undefined;
  const problems = form.success ? [] : problemsFromZod(form.error);
  if (form.success && !sender) problems.unshift({ field: 'purpose_id', message: 'Choose who the mailing is from' });
  if (!form.success || !sender || problems.length > 0) throw invalidFields(problems);
  const scope = await groupIdsFor(q, actor);
  const segmentId = await createSegment(q, { name: props.segmentName.slice(0, 120), groupId: sender.groupId, definition: definitionOf(props.subject) }, actor, scope);
  return saveMailing(q, { actor, scope, input: { ...form.data, segment_id: segmentId } });
}
