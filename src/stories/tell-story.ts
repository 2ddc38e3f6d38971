import { sql } from 'kysely';
import { findGroupsByIds, type Group } from '../coalition/index.ts';
import { recordAudit, type Viewer } from '../platform/index.ts';
import { personForUnprovenAction, splitName } from '../supporters/index.ts';
import { sealFor, sealOptionalFor } from './sealed-columns.ts';
import { queueConfirmationEmail, queueGuardianEmail } from './story-emails.ts';
import { CONSENT_VERSION, STORY_USES, consentWording, type StoryInput } from './story-form.ts';
import { storiesKeyRing } from './story-keys.ts';
import { storeStoryPhotos, type StoryPhoto } from './story-photos.ts';
import { newToken } from './story-tokens.ts';
import type { AppContext, CollectionMethod, Q } from './tables.ts';

/** How the story reached us: the teller's own web form, or an organiser who took it by phone or on paper. */
export type Teller = { method: 'web' } | { method: Exclude<CollectionMethod, 'web'>; collector: Viewer };

export interface TellStoryProps {
  input: StoryInput;
  /** The groups the teller chose to tell (each a controller with the coalition). */
  groups: readonly Group[];
  teller: Teller;
  /** The photos sent with it, already prepared (prepareStoryPhotos): sealed with the story. */
  photos?: readonly StoryPhoto[];
}

/** The controllers a consent names: the coalition, then each group chosen. */
export const controllersOf = (coalitionName: string, groups: readonly Pick<Group, 'name'>[]) => [coalitionName, ...groups.map((g) => g.name)];

/**
 * Records a story with its consents (every box shown, ticked or not, in the exact words shown) and
 * sends the confirmation email (and a parent or guardian's, for an under-18). Nothing is usable
 * until the teller confirms (and, for an under-18, a parent or guardian agrees). Everything that
 * identifies the teller, and the story itself, is sealed before it reaches the database.
 */
export async function tellStory(ctx: AppContext, props: TellStoryProps): Promise<{ storyId: number }> {
  const { input, teller } = props;
  const ring = storiesKeyRing(ctx.config);
  const brand = ctx.brand.current();
  const confirm = newToken();
  const manage = newToken();
  const guardian = input.under18 ? newToken() : undefined;
  const collector = teller.method === 'web' ? null : teller.collector;
  return ctx.db.transaction().execute(async (tx) => {
    const groups = await findGroupsByIds(tx, props.groups.map((g) => g.id));
    const controllers = controllersOf(brand.name, groups);
    const { givenName, familyName } = splitName(input.name);
    const person = await personForUnprovenAction(tx, { email: input.email, givenName, familyName, source: { method: `story:${teller.method}` } });
    const story = await tx
      .insertInto('stories')
      .values({
        method: teller.method,
        collected_by: collector?.id ?? null,
        collected_by_name: collector?.name ?? null,
        person_id: person.id,
        story_sealed: sealFor(ring, 'story_sealed', input.story),
        service_sealed: sealFor(ring, 'service_sealed', input.service),
        nhs_body_sealed: sealOptionalFor(ring, 'nhs_body_sealed', input.nhsBody),
        nhs_body_code: input.nhsBodyCode,
        happened_when: input.happenedWhen,
        postcode_sealed: sealFor(ring, 'postcode_sealed', input.postcode),
        constituency_code: input.constituencyCode,
        region_code: input.regionCode,
        name_sealed: sealFor(ring, 'name_sealed', input.name),
        email_sealed: sealFor(ring, 'email_sealed', input.email),
        phone_sealed: sealOptionalFor(ring, 'phone_sealed', input.phone),
        town_sealed: sealOptionalFor(ring, 'town_sealed', input.town),
        media_links_sealed: sealFor(ring, 'media_links_sealed', JSON.stringify(input.mediaLinks)),
        identify_as: input.identifyAs,
        speak_to_press: input.speakToPress,
        speak_to_politicians: input.speakToPoliticians,
        under_18: input.under18,
        guardian_name_sealed: sealOptionalFor(ring, 'guardian_name_sealed', input.guardian?.name),
        guardian_email_sealed: sealOptionalFor(ring, 'guardian_email_sealed', input.guardian?.email),
        confirm_token_hash: confirm.hash,
        manage_token_hash: manage.hash,
        guardian_token_hash: guardian?.hash ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await storeStoryPhotos(tx, ring, story.id, props.photos ?? []);
    if (groups.length > 0) await tx.insertInto('story_groups').values(groups.map((g) => ({ story_id: story.id, group_id: g.id }))).execute();
    await tx
      .insertInto('story_consents')
      .values(
        STORY_USES.map(({ use }) => ({
          story_id: story.id,
          kind: 'use' as const,
          use,
          given: input.uses.has(use),
          wording: consentWording(use, controllers),
          wording_version: CONSENT_VERSION,
          controllers: JSON.stringify(controllers),
          method: teller.method,
          collected_by: collector?.id ?? null,
          collected_by_name: collector?.name ?? null,
        })),
      )
      .execute();
    if (collector) {
      await recordAudit(tx, { actor: collector, action: 'story.record', subjectType: 'story', subjectId: story.id, after: { method: teller.method, groups: groups.map((g) => g.name) } });
    }
    const mail = { brand, baseUrl: ctx.config.BASE_URL };
    await queueConfirmationEmail(tx, { ...mail, to: input.email, name: input.name, confirmToken: confirm.token, manageToken: manage.token, under18: input.under18 });
    if (guardian && input.guardian) {
      await queueGuardianEmail(tx, { ...mail, to: input.guardian.email, guardianName: input.guardian.name, youngPerson: input.name.split(' ')[0]!, guardianToken: guardian.token });
    }
    return { storyId: story.id };
  });
}

/** Adds a confirmed story to the anonymous tallies (per constituency and month), which erasure leaves alone. */
export async function countStoryTold(q: Q, constituencyCode: string | null, at: Date) {
  await sql`
    insert into story_tallies (constituency_code, month, told)
    values (${constituencyCode ?? ''}, date_trunc('month', ${at}::timestamptz at time zone 'Europe/London')::date, 1)
    on conflict (constituency_code, month) do update set told = story_tallies.told + 1`.execute(q);
}
