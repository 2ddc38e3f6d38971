import { onePostcodePerConstituency, type DemoTargetSeat } from '../politics/index.ts';
import { CONSENT_VERSION, STORY_USES, consentWording } from './story-form.ts';
import { activeKeyRing } from './story-keys.ts';
import { sealFor } from './sealed-columns.ts';
import { newToken } from './story-tokens.ts';
import { consentExpiry } from './states.ts';
import { countStoryTold } from './tell-story.ts';
import type { HappenedWhen, StoryUse, Tx } from './tables.ts';

/** Fictional stories (no real person, place names only), each confirmed, in several constituencies. */
const DEMO_STORIES: Array<{ name: string; group: string | null; when: HappenedWhen; service: string; story: string; uses: StoryUse[] }> = [
  { name: 'Alex Example', group: null, when: 'last_year', service: 'A&E, the city hospital', story: 'I waited eleven hours on a trolley in a corridor with a broken wrist. The staff were kind and exhausted; there were simply not enough of them.', uses: ['publish_hub', 'politicians'] },
  { name: 'Sam Sample', group: null, when: 'last_3_months', service: 'Our GP surgery', story: 'It took three weeks of ringing at eight every morning to get an appointment for my son. When we got one, the doctor was brilliant.', uses: ['publish_hub', 'journalists', 'social_media'] },
  { name: 'Jo Placeholder', group: null, when: 'one_to_five_years', service: 'The maternity unit', story: 'The midwives who looked after me saved my daughter’s life. Now the unit may close, and the next nearest is forty minutes away.', uses: ['publish_hub', 'journalists', 'politicians', 'video'] },
];

export async function loadStoryDemo(tx: Tx, groupIds: Record<string, number>, targetSeats: readonly DemoTargetSeat[] = []): Promise<{ storyIds: number[] }> {
  const ring = activeKeyRing();
  const seats = await onePostcodePerConstituency(tx);
  const firstGroup = Object.values(groupIds)[0];
  const now = new Date();
  const ids: number[] = [];
  for (const [i, demo] of DEMO_STORIES.entries()) {
    // In the target seats when there are any (the targeting pages count them), else spread over the country.
    const seat = targetSeats.length > 0 ? targetSeats[i % targetSeats.length] : seats[(i * 7) % Math.max(1, seats.length)];
    const story = await tx
      .insertInto('stories')
      .values({
        state: 'consented',
        method: 'web',
        story_sealed: sealFor(ring, 'story_sealed', demo.story),
        service_sealed: sealFor(ring, 'service_sealed', demo.service),
        happened_when: demo.when,
        postcode_sealed: sealFor(ring, 'postcode_sealed', seat?.postcode ?? 'SW1A 1AA'),
        constituency_code: seat?.constituencyCode ?? null,
        region_code: seat?.regionCode ?? null,
        name_sealed: sealFor(ring, 'name_sealed', demo.name),
        email_sealed: sealFor(ring, 'email_sealed', `${demo.name.split(' ')[0]!.toLowerCase()}@example.org`),
        media_links_sealed: sealFor(ring, 'media_links_sealed', '[]'),
        identify_as: 'first_name',
        speak_to_press: i % 2 === 0,
        speak_to_politicians: true,
        under_18: false,
        confirm_token_hash: newToken().hash,
        manage_token_hash: newToken().hash,
        confirmed_at: now,
        consented_at: now,
        consent_expires_at: consentExpiry(now),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (firstGroup !== undefined && i > 0) await tx.insertInto('story_groups').values({ story_id: story.id, group_id: firstGroup }).execute();
    const controllers = ['The coalition'];
    await tx
      .insertInto('story_consents')
      .values(STORY_USES.map(({ use }) => ({ story_id: story.id, kind: 'use' as const, use, given: demo.uses.includes(use), wording: consentWording(use, controllers), wording_version: CONSENT_VERSION, controllers: JSON.stringify(controllers), method: 'web' as const })))
      .execute();
    await countStoryTold(tx, seat?.constituencyCode ?? null, now);
    ids.push(story.id);
  }
  return { storyIds: ids };
}
