import type { KeyRing } from '../platform/index.ts';
import type { StoryRow } from './consent-steps.ts';
import { openFor, openOptionalFor, purposeOf } from './sealed-columns.ts';
import type { Q } from './tables.ts';

/** One story opened for someone allowed to read it (the admin page and its export). */
export async function storiesOfPersonStory(q: Q, ring: KeyRing, s: StoryRow) {
  const consents = await q.selectFrom('story_consents').select(['kind', 'use', 'given', 'wording', 'wording_version', 'controllers', 'method', 'collected_by_name', 'recorded_at']).where('story_id', '=', s.id).orderBy('id').execute();
  const notes = await q.selectFrom('story_notes').select(['author_name', 'note_sealed', 'created_at']).where('story_id', '=', s.id).orderBy('id').execute();
  return {
    id: s.id,
    told: s.created_at,
    state: s.state,
    method: s.method,
    collectedBy: s.collected_by_name,
    story: openFor(ring, 'story_sealed', s.story_sealed),
    service: openFor(ring, 'service_sealed', s.service_sealed),
    nhsBody: openOptionalFor(ring, 'nhs_body_sealed', s.nhs_body_sealed),
    happenedWhen: s.happened_when,
    postcode: openFor(ring, 'postcode_sealed', s.postcode_sealed),
    constituencyCode: s.constituency_code,
    name: openFor(ring, 'name_sealed', s.name_sealed),
    email: openFor(ring, 'email_sealed', s.email_sealed),
    phone: openOptionalFor(ring, 'phone_sealed', s.phone_sealed),
    town: openOptionalFor(ring, 'town_sealed', s.town_sealed),
    mediaLinks: JSON.parse(openFor(ring, 'media_links_sealed', s.media_links_sealed)) as string[],
    identifyAs: s.identify_as,
    speakToPress: s.speak_to_press,
    speakToPoliticians: s.speak_to_politicians,
    under18: s.under_18,
    guardianName: openOptionalFor(ring, 'guardian_name_sealed', s.guardian_name_sealed),
    confirmedAt: s.confirmed_at,
    guardianConfirmedAt: s.guardian_confirmed_at,
    consentExpiresAt: s.consent_expires_at,
    withdrawnAt: s.withdrawn_at,
    consents,
    notes: notes.map((n) => ({ by: n.author_name, at: n.created_at, note: ring.openText(n.note_sealed, purposeOf('story_notes', 'note_sealed')) })),
  };
}
