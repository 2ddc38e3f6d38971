import type { Handle } from '../platform/index.ts';
import { storiesOfPersonStory } from './story-view.ts';
import { activeKeyRing } from './story-keys.ts';
import { storyPhotosOpened } from './story-photos.ts';
import { storiesQ } from './tables.ts';
import { openedPublication, publicationOf } from './moderation/published-version.ts';

/** A person's stories, opened, with their photos, consents and notes: for their subject access request. */
export async function storiesOfPerson(handle: Handle, personId: number) {
  const q = storiesQ(handle);
  const ring = activeKeyRing();
  const stories = await q.selectFrom('stories').selectAll().where('person_id', '=', personId).orderBy('id').execute();
  const out = [];
  for (const story of stories) {
    const { id: _id, collectedBy: _by, ...rest } = await storiesOfPersonStory(q, ring, story);
    const publication = await publicationOf(q, story.id);
    const version = publication?.text_sealed ? openedPublication(ring, story, publication) : undefined;
    const publishedVersion = version && publication ? { title: version.title, text: version.text, namedAs: version.byline, state: publication.state, approvedAt: publication.approved_at, firstPublishedAt: publication.first_published_at } : null;
    out.push({ ...rest, photos: await storyPhotosOpened(q, ring, story.id), publishedVersion });
  }
  return out;
}

/** Erasure: the person's stories go, with their photos, consents and notes (cascading); the anonymous tallies stay. */
export async function eraseStoriesOfPerson(handle: Handle, personId: number): Promise<number> {
  const rows = await storiesQ(handle).deleteFrom('stories').where('person_id', '=', personId).returning('id').execute();
  return rows.length;
}
