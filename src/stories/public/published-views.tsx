import { Button, ErrorSummary, Layout, Pagination, Select, formatLondon, type FieldErrors, type Option } from '../../platform/index.ts';
import { SERVICES, TOPICS } from '../moderation/states.ts';
import type { PublishedFilter, PublishedStory } from './published-stories.ts';

const excerpt = (text: string, words = 40) => {
  const all = text.split(/\s+/).filter(Boolean);
  return all.length <= words ? all.join(' ') : `${all.slice(0, words).join(' ')}…`;
};

const placeOf = (s: PublishedStory) => [s.service, s.constituencyName].filter(Boolean).join(' · ');

export function StoryCard({ story }: { story: PublishedStory }) {
  return (
    <li class="card">
      <h3>
        <a href={story.path}>{story.title}</a>
      </h3>
      <p class="caption">
        {story.byline} · {placeOf(story)}
      </p>
      <p>{excerpt(story.text)}</p>
    </li>
  );
}

export function PublishedListPage(props: { stories: PublishedStory[]; total: number; filter: Omit<PublishedFilter, 'page'>; page: number; totalPages: number; constituencies: Option[]; regions: Option[]; errors?: FieldErrors | undefined }) {
  const f = props.filter;
  const query = (page: number) => {
    const params = new URLSearchParams(Object.entries({ ...f, page: String(page) }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    return `/stories?${params.toString()}`;
  };
  return (
    <Layout
      title={`${props.errors ? 'Error: ' : ''}NHS stories`}
      share={{ path: '/stories', description: 'Stories of NHS care told by patients and staff, published with their consent.' }}
      head={[<link rel="alternate" type="application/rss+xml" title="NHS stories" href="/stories.rss" />, <link rel="alternate" type="application/json" href="/stories.json" />]}
    >
      {props.errors ? <ErrorSummary errors={props.errors} /> : null}
      <h1>NHS stories</h1>
      <p>Patients and staff tell what happened to them, in their own words, published with their consent.</p>
      <p>
        <a href="/stories/tell">Tell your story</a> · <a href="/stories.rss">RSS feed</a>
      </p>
      <form method="get" action="/stories" class="filters">
        <Select name="constituency" label="Constituency" options={props.constituencies} placeholder="Anywhere" value={f.constituency ?? ''} errors={props.errors} />
        <Select name="region" label="Region" options={props.regions} placeholder="Any region" value={f.region ?? ''} errors={props.errors} />
        <Select name="service" label="Service" options={SERVICES.map((s) => ({ value: s.value, label: s.label }))} placeholder="Any service" value={f.service ?? ''} errors={props.errors} />
        <Select name="topic" label="Topic" options={TOPICS.map((s) => ({ value: s.value, label: s.label }))} placeholder="Any topic" value={f.topic ?? ''} errors={props.errors} />
        <Button variant="secondary">Show stories</Button>
      </form>
      <p role="status">{props.total === 1 ? '1 story' : `${props.total} stories`}</p>
      {props.stories.length === 0 ? (
        <p>No stories match yet.</p>
      ) : (
        <ul class="card-list">
          {props.stories.map((s) => (
            <StoryCard story={s} />
          ))}
        </ul>
      )}
      <Pagination page={props.page} totalPages={props.totalPages} href={query} />
    </Layout>
  );
}

export function PublishedStoryPage({ story, cardUrl, cardEtag }: { story: PublishedStory; cardUrl: string; cardEtag: string }) {
  return (
    <Layout
      title={story.title}
      breadcrumbs={[{ href: '/stories', label: 'Stories' }]}
      share={{
        path: story.path,
        description: excerpt(story.text, 30),
        image: { url: `${cardUrl}?v=${encodeURIComponent(cardEtag.replace(/"/g, ''))}`, alt: `${story.title}: a story told by ${story.byline}`, type: 'image/png', width: 1200, height: 630 },
      }}
    >
      <span class="caption">{placeOf(story)}</span>
      <h1>{story.title}</h1>
      <p class="caption">
        By {story.byline} · published <time datetime={story.publishedAt.toISOString()}>{formatLondon(story.publishedAt, 'date')}</time>
      </p>
      <div class="story-text">
        {story.text.split(/\n\s*\n/).map((p) => (
          <p>{p}</p>
        ))}
      </div>
      <p>
        {story.constituencyCode ? (
          <>
            More stories from <a href={`/stories?constituency=${story.constituencyCode}`}>{story.constituencyName ?? 'this constituency'}</a> ·{' '}
          </>
        ) : null}
        <a href={`/stories?topic=${story.topicCode}`}>More about {story.topic.toLowerCase()}</a>
      </p>
      <p class="hint">Published with the storyteller’s consent, which they can withdraw at any time. Names and details that could identify someone have been taken out.</p>
    </Layout>
  );
}

/** Stories on a constituency page (through the page sections). */
export function ConstituencyStories({ stories, code, total }: { stories: PublishedStory[]; code: string; total: number }) {
  return (
    <section aria-labelledby="stories-heading">
      <h2 id="stories-heading">Stories from here</h2>
      <ul class="card-list">
        {stories.map((s) => (
          <StoryCard story={s} />
        ))}
      </ul>
      {total > stories.length ? (
        <p>
          <a href={`/stories?constituency=${code}`}>All {total} stories from here</a>
        </p>
      ) : null}
    </section>
  );
}

/** The front page's latest published stories, with a way to tell one. */
export function LatestStories({ stories, total }: { stories: PublishedStory[]; total: number }) {
  return (
    <section aria-labelledby="latest-stories-heading">
      <h2 id="latest-stories-heading">Stories of the NHS</h2>
      <ul class="card-list">
        {stories.map((s) => (
          <StoryCard story={s} />
        ))}
      </ul>
      <p>
        {total > stories.length ? (
          <>
            <a href="/stories">Read all {total} stories</a>
            {' · '}
          </>
        ) : null}
        <a href="/stories/tell">Tell your story</a>
      </p>
    </section>
  );
}
