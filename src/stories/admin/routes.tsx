import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findGroupsByIds, listGroups } from '../../coalition/index.ts';
import { Button, Form, formatLondon, formList, formValues, Layout, notFound, pageFrom, parseForm, parseParams, recordAudit, requireRole, TextArea, viewerOf } from '../../platform/index.ts';
import { storiesOfPersonStory } from '../story-view.ts';
import { openStoryPhoto, prepareStoryPhotos, storyPhotoList, storyPhotosOpened, storyUploadLimits } from '../story-photos.ts';
import { storiesForViewer, storyForViewer, storyGroupScope } from '../story-access.ts';
import { nhsBodyNames, parseStoryForm } from '../story-form.ts';
import { storiesKeyRing, useStoriesConfig } from '../story-keys.ts';
import { purposeOf } from '../sealed-columns.ts';
import { tellStory } from '../tell-story.ts';
import type { AppContext } from '../tables.ts';
import { CheckEmailPage, StoryFormFields } from '../public/views.tsx';
import { ErrorSummary } from '../../platform/index.ts';

const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const photoParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number), position: z.enum(['1', '2', '3']).transform(Number) });
const noteForm = z.object({ note: z.string({ message: 'Write the note' }).trim().min(1, { message: 'Write the note' }).max(4000, { message: 'Note must be 4000 characters or fewer' }) });
const methodForm = z.object({ method: z.enum(['phone', 'paper'], { message: 'Choose how you took this story' }) });
const PER_PAGE = 50;

/** /admin/stories: the stories a viewer may see, each story's page, its export and notes, and recording one taken by phone or on paper. */
export function registerStoryAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  useStoriesConfig(ctx.config);
  const readers = { preHandler: requireRole('admin', 'moderator', 'organiser') };
  const nocache = { 'cache-control': 'private, no-store' };

  app.get('/admin/stories', readers, async (request, reply) => {
    const viewer = viewerOf(request);
    const page = pageFrom(request.query);
    const rows = await storiesForViewer(ctx.db, viewer, page, PER_PAGE);
    await recordAudit(ctx.db, { actor: viewer, action: 'story.list.view', subjectType: 'story', subjectId: null, after: { page } });
    return reply.headers(nocache).render(
      <Layout title="Stories">
        <h1>Stories</h1>
        <p>
          <a href="/admin/stories/new">Record a story taken by phone or on paper</a> · <a href="/admin/stories/moderation">Moderation queue</a>
        </p>
        {rows.length === 0 ? (
          <p>No stories yet.</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Story</th>
                <th scope="col">Told</th>
                <th scope="col">Where it stands</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/stories/${r.id}`}>Story {r.id}</a>
                  </td>
                  <td>{formatLondon(r.created_at, 'short-date')}</td>
                  <td>{r.state.replace(/_/g, ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  app.get('/admin/stories/new', readers, async (request, reply) => {
    const scope = await storyGroupScope(ctx.db, viewerOf(request));
    const groups = (await listGroups(ctx.db)).filter((g) => scope === 'all' || scope.includes(g.id));
    return reply.headers(nocache).render(
      <Layout title="Record a story">
        <h1>Record a story taken by phone or on paper</h1>
        <p>Read each consent to the storyteller exactly as written and tick only what they agree to. We email them to confirm.</p>
        <StoryFormFields nhsBodies={await nhsBodyNames(ctx.db)} action="/admin/stories/new" groups={groups} recording />
      </Layout>,
    );
  });
  app.post('/admin/stories/new', { ...readers, config: { multipartOptions: storyUploadLimits } }, async (request, reply) => {
    const viewer = viewerOf(request);
    const scope = await storyGroupScope(ctx.db, viewer);
    const groups = (await listGroups(ctx.db)).filter((g) => scope === 'all' || scope.includes(g.id));
    const chosen = await findGroupsByIds(ctx.db, formList(request.body, 'groups').map(Number).filter((id) => groups.some((g) => g.id === id)));
    const form = await parseStoryForm(ctx.db, request.body);
    const method = parseForm(methodForm, request.body);
    const photos = await prepareStoryPhotos(request.body);
    if (!form.ok || !method.ok || Object.keys(photos.errors).length > 0) {
      const errors = { ...(method.ok ? {} : method.errors), ...(form.ok ? {} : form.errors), ...photos.errors };
      return reply.headers(nocache).render(
        <Layout title="Error: Record a story">
          <ErrorSummary errors={errors} />
          <h1>Record a story taken by phone or on paper</h1>
          <StoryFormFields nhsBodies={await nhsBodyNames(ctx.db)} action="/admin/stories/new" groups={groups} values={form.ok ? formValues(request.body) : form.values} errors={errors} photosSent={photos.sent} recording />
        </Layout>,
        422,
      );
    }
    await tellStory(ctx, { input: form.input, groups: chosen, teller: { method: method.value.method, collector: viewer }, photos: photos.photos });
    return reply.headers(nocache).render(<CheckEmailPage embed={false} recorded />);
  });

  app.get('/admin/stories/:id', readers, async (request, reply) => {
    const viewer = viewerOf(request);
    const story = await storyForViewer(ctx.db, viewer, parseParams(idParams, request.params, 'story').id);
    const shown = await storiesOfPersonStory(ctx.db, storiesKeyRing(ctx.config), story);
    const photos = await storyPhotoList(ctx.db, story.id);
    await recordAudit(ctx.db, { actor: viewer, action: 'story.view', subjectType: 'story', subjectId: story.id });
    return reply.headers(nocache).render(
      <Layout title={`Story ${story.id}`} breadcrumbs={[{ href: '/admin/stories', label: 'Stories' }]}>
        <h1>Story {story.id}</h1>
        <p>
          {shown.state.replace(/_/g, ' ')} · told {formatLondon(shown.told, 'date')} by {shown.method === 'web' ? 'the web form' : `${shown.method}, taken by ${shown.collectedBy}`}
        </p>
        <h2>The story (original: never published)</h2>
        <blockquote class="story-text">
          {shown.story.split('\n\n').map((p) => (
            <p>{p}</p>
          ))}
        </blockquote>
        <dl class="summary">
          <dt>Service or place</dt>
          <dd>{shown.service}</dd>
          <dt>NHS trust or ICB</dt>
          <dd>{shown.nhsBody ?? '—'}</dd>
          <dt>Teller</dt>
          <dd>
            {shown.name}, {shown.email}
            {shown.phone ? `, ${shown.phone}` : ''}, {shown.postcode}
          </dd>
          <dt>Named as</dt>
          <dd>{shown.identifyAs.replace(/_/g, ' ')}</dd>
          <dt>Under 18</dt>
          <dd>{shown.under18 ? `Yes (parent or guardian: ${shown.guardianName ?? ''})` : 'No'}</dd>
        </dl>
        {photos.length > 0 ? (
          <>
            <h2>Photos</h2>
            <p class="hint">Sent with the story: not published. Each look is recorded.</p>
            <ul class="story-photos">
              {photos.map((p) => (
                <li>
                  <a href={`/admin/stories/${story.id}/photos/${p.position}`}>
                    <img src={`/admin/stories/${story.id}/photos/${p.position}/thumbnail`} width={p.thumbnail_width} height={p.thumbnail_height} alt={`Photo ${p.position} sent with story ${story.id} (open it full size)`} />
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>Consents</h2>
        <ul>
          {shown.consents.map((c) => (
            <li>
              {c.given ? 'Agreed' : 'Not agreed'}: {c.wording} ({c.wording_version}, {c.method}, {formatLondon(c.recorded_at, 'short')})
            </li>
          ))}
        </ul>
        <p>
          <a href={`/admin/stories/${story.id}/moderate`}>Moderate: write the published version</a> · <a href={`/admin/stories/${story.id}/export.json`}>Export this story (JSON)</a>
        </p>
        <h2>Notes</h2>
        <ul>
          {shown.notes.map((n) => (
            <li>
              {n.by}, {formatLondon(n.at, 'short')}: {n.note}
            </li>
          ))}
        </ul>
        <Form action={`/admin/stories/${story.id}/notes`}>
          <TextArea name="note" label="Add a note" hint="Notes are encrypted, and seen only by those who may see the story" rows={3} />
          <Button>Add the note</Button>
        </Form>
      </Layout>,
    );
  });

  app.get('/admin/stories/:id/export.json', readers, async (request, reply) => {
    const viewer = viewerOf(request);
    const story = await storyForViewer(ctx.db, viewer, parseParams(idParams, request.params, 'story').id);
    const ring = storiesKeyRing(ctx.config);
    const shown = { ...(await storiesOfPersonStory(ctx.db, ring, story)), photos: await storyPhotosOpened(ctx.db, ring, story.id) };
    await recordAudit(ctx.db, { actor: viewer, action: 'story.export', subjectType: 'story', subjectId: story.id });
    return reply.headers({ ...nocache, 'content-disposition': `attachment; filename="story-${story.id}.json"` }).send(shown);
  });

  // A photo is opened only for someone who may see the story, each time recorded, and never cached.
  const servePhoto = async (request: FastifyRequest, reply: FastifyReply, size: 'photo' | 'thumbnail') => {
    const viewer = viewerOf(request);
    const { id, position } = parseParams(photoParams, request.params, 'photo');
    const story = await storyForViewer(ctx.db, viewer, id);
    const bytes = await openStoryPhoto(ctx.db, storiesKeyRing(ctx.config), story.id, position, size);
    if (!bytes) throw notFound('We could not find that photo.');
    await recordAudit(ctx.db, { actor: viewer, action: 'story.photo.view', subjectType: 'story', subjectId: story.id, after: { photo: position, size } });
    return reply
      .headers({ ...nocache, 'content-disposition': `inline; filename="story-${story.id}-photo-${position}${size === 'thumbnail' ? '-small' : ''}.jpg"`, 'x-content-type-options': 'nosniff' })
      .type('image/jpeg')
      .send(bytes);
  };
  app.get('/admin/stories/:id/photos/:position', readers, async (request, reply) => servePhoto(request, reply, 'photo'));
  app.get('/admin/stories/:id/photos/:position/thumbnail', readers, async (request, reply) => servePhoto(request, reply, 'thumbnail'));

  app.post('/admin/stories/:id/notes', readers, async (request, reply) => {
    const viewer = viewerOf(request);
    const story = await storyForViewer(ctx.db, viewer, parseParams(idParams, request.params, 'story').id);
    const form = parseForm(noteForm, request.body);
    if (!form.ok) return reply.redirect(`/admin/stories/${story.id}`, 303);
    const ring = storiesKeyRing(ctx.config);
    await ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('story_notes').values({ story_id: story.id, author_id: viewer.id, author_name: viewer.name, note_sealed: ring.sealText(form.value.note, purposeOf('story_notes', 'note_sealed')) }).execute();
      await recordAudit(tx, { actor: viewer, action: 'story.note.add', subjectType: 'story', subjectId: story.id });
    });
    return reply.redirect(`/admin/stories/${story.id}`, 303);
  });
}
