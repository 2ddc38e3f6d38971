import { activeKeyRing } from '../story-keys.ts';
import type { Tx } from '../tables.ts';
import { sealPublication } from './published-version.ts';
import type { PublishedService, PublishedTopic } from './tables.ts';

/** Published versions of the demo stories (fictional), approved by their tellers, for /stories and constituency pages. */
const VERSIONS: Array<{ title: string; text: string; service: PublishedService; topic: PublishedTopic }> = [
  { title: 'Eleven hours on a trolley', text: 'I waited eleven hours on a trolley in a corridor with a broken wrist.\n\nThe staff were kind and exhausted; there were simply not enough of them.', service: 'ae', topic: 'staffing' },
  { title: 'Three weeks of ringing at eight', text: 'It took three weeks of ringing at eight every morning to get an appointment for my son.\n\nWhen we got one, the doctor was brilliant.', service: 'gp', topic: 'access' },
  { title: 'The midwives saved my daughter', text: 'The midwives who looked after me saved my daughter’s life.\n\nNow the unit may close, and the next nearest is forty minutes away.', service: 'maternity', topic: 'closure' },
];

export async function loadPublishedDemo(tx: Tx, storyIds: number[]): Promise<void> {
  const ring = activeKeyRing();
  const now = new Date();
  for (const [i, id] of storyIds.entries()) {
    const v = VERSIONS[i % VERSIONS.length]!;
    const at = new Date(now.getTime() - (storyIds.length - i) * 86_400_000);
    await tx
      .insertInto('story_publications')
      .values({
        story_id: id,
        state: 'approved',
        title_sealed: sealPublication(ring, 'title_sealed', v.title),
        text_sealed: sealPublication(ring, 'text_sealed', v.text),
        redactions_sealed: sealPublication(ring, 'redactions_sealed', '[]'),
        service: v.service,
        topic: v.topic,
        drafted_by_name: 'Demo moderator',
        drafted_at: at,
        sent_for_approval_at: at,
        approved_at: at,
        first_published_at: at,
      })
      .execute();
  }
}
