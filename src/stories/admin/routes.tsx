import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { findGroupsByIds, listGroups } from '../../coalition/index.ts';
import { Button, Form, Layout, TextArea, formList, formatLondon, pageFrom, parseForm, parseParams, recordAudit, requireRole, type Viewer } from '../../platform/index.ts';
import { storiesOfPersonStory } from '../story-view.ts';
import { storiesForViewer, storyForViewer, storyGroupScope } from '../story-access.ts';
import { parseStoryForm } from '../story-form.ts';
import { storiesKeyRing, useStoriesConfig } from '../story-keys.ts';
import { purposeOf } from '../sealed-columns.ts';
import { tellStory } from '../tell-story.ts';
import type { AppContext } from '../tables.ts';
import { CheckEmailPage, StoryFormFields } from '../public/views.tsx';
import { ErrorSummary } from '../../platform/index.ts';

const idParams = z.object({ id: z.string().regex(/^\d{1,9}$/).transform(Number) });
const noteForm = z.object({ note: z.string({ message: 'Write the note' }).trim().min(1, { message: 'Write the note' }).max(4000, { message: 'Note must be 4000 characters or fewer' }) });
const methodForm = z.object({ method: z.enum(['phone', 'paper'], { message: 'Choose how you took this story' }) });
const viewerOf = (request: FastifyRequest): Viewer => request.viewer!;
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
        <StoryFormFields action="/admin/stories/new" groups={groups} recording />
      </Layout>,
    );
  });
  app.post('/admin/stories/new', readers, async (request, reply) => {
    const viewer = viewerOf(request);
    const scope = await storyGroupScope(ctx.db, viewer);
    const groups = (await listGroups(ctx.db)).filter((g) => scope === 'all' || scope.includes(g.id));
    const chosen = await findGroupsByIds(ctx.db, formList(request.body, 'groups').map(Number).filter((id) => groups.some((g) => g.id === id)));
    const form = await parseStoryForm(ctx.db, request.body);
    const method = parseForm(methodForm, request.body);
    if (!form.ok || !method.ok) {
      const errors = { ...(method.ok ? {} : method.errors), ...(form.ok ? {} : form.errors) };
      return reply.headers(nocache).render(
        <Layout title="Error: Record a story">
          <ErrorSummary errors={errors} />
          <h1>Record a story taken by phone or on paper</h1>
          <StoryFormFields action="/admin/stories/new" groups={groups} values={form.ok ? {} : form.values} errors={errors} recording />
        </Layout>,
        422,
      );
    }
    await tellStory(ctx, { input: form.input, groups: chosen, teller: { method: method.value.method, collector: viewer } });
    return reply.headers(nocache).render(<CheckEmailPage embed={false} recorded />);
  });

  app.get('/admin/stories/:id', readers, async (request, reply) => {
    const viewer = viewerOf(request);
    const story = await storyForViewer(ctx.db, viewer, parseParams(idParams, request.params, 'story').id);
    const shown = await storiesOfPersonStory(ctx.db, storiesKeyRing(ctx.config), story);
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
    const shown = await storiesOfPersonStory(ctx.db, storiesKeyRing(ctx.config), story);
    await recordAudit(ctx.db, { actor: viewer, action: 'story.export', subjectType: 'story', subjectId: story.id });
    return reply.headers({ ...nocache, 'content-disposition': `attachment; filename="story-${story.id}.json"` }).send(shown);
  });

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
