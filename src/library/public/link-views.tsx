import { Button, ErrorSummary, Layout, Pagination, Select, TextInput, formatCalendarDate, formatNumber, type FieldErrors, type Option } from '../../platform/index.ts';
import { formatSimpleText } from '../../supporters/index.ts';
import { COUNT_CAP, MARK_END, MARK_START, type FoundLink, type LinkSearch } from '../search-links.ts';
import type { Link } from '../store.ts';

export const linkPath = (link: { id: number }) => `/links/${link.id}`;

/** Text with ts_headline's markers, drawn with <mark> (the text itself stays escaped). */
export function Marked({ text }: { text: string }) {
  const parts = text.split(new RegExp(`(${MARK_START}[^${MARK_END}]*${MARK_END})`));
  return <>{parts.map((p) => (p.startsWith(MARK_START) ? <mark>{p.slice(1, -1)}</mark> : p.replaceAll(MARK_START, '').replaceAll(MARK_END, '')))}</>;
}

const plainSummary = (summary: string, words = 45) => {
  const text = formatSimpleText(summary).text.replace(/\s+/g, ' ').trim();
  const all = text.split(' ');
  return all.length <= words ? text : `${all.slice(0, words).join(' ')}…`;
};

function Byline({ link }: { link: { source: string; publishedOn: string | null } }) {
  return (
    <p class="caption link-byline">
      {link.source || 'Unknown source'}
      {link.publishedOn ? (
        <>
          {' · '}
          <time datetime={link.publishedOn}>{formatCalendarDate(link.publishedOn)}</time>
        </>
      ) : null}
    </p>
  );
}

function FoundLinkItem({ link }: { link: FoundLink }) {
  return (
    <li class="link-result">
      <h2 class="link-result__title">
        <a href={link.url} rel="noopener">
          {link.titleMarked ? <Marked text={link.titleMarked} /> : link.title}
        </a>
      </h2>
      <Byline link={link} />
      {link.summary ? <p>{link.summaryMarked ? <Marked text={link.summaryMarked} /> : plainSummary(link.summary)}</p> : null}
      <p class="link-result__more">
        <a href={linkPath(link)}>
          About this link<span class="visually-hidden">: {link.title}</span>
        </a>
        {link.tags.length > 0 ? ' · ' : null}
        {link.tags.map((t, i) => (
          <>
            {i > 0 ? ', ' : null}
            <a href={`/links?tag=${encodeURIComponent(t)}`}>{t}</a>
          </>
        ))}
      </p>
    </li>
  );
}

export interface LinkListProps {
  result: { links: FoundLink[]; total: number; capped: boolean; sort: 'relevance' | 'newest' };
  search: Omit<LinkSearch, 'page'>;
  page: number;
  totalPages: number;
  tags: string[];
  sources: string[];
  regions: Option[];
  errors?: FieldErrors | undefined;
}

export function linksQueryString(search: Omit<LinkSearch, 'page'>, page?: number): string {
  const params = new URLSearchParams(Object.entries({ ...search, ...(page && page > 1 ? { page: String(page) } : {}) }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** /links: the search form (plain GET, no script needed), the results and their pages. */
export function LinkListPage(props: LinkListProps) {
  const s = props.search;
  const { result } = props;
  const count = result.capped ? `More than ${formatNumber(COUNT_CAP)} links` : result.total === 1 ? '1 link' : `${formatNumber(result.total)} links`;
  const values = { q: s.q ?? '', tag: s.tag ?? '', source: s.source ?? '', from: s.from ?? '', to: s.to ?? '', region: s.region ?? '', sort: s.sort ?? '' };
  const description = 'Links to important news and information about our NHS on other websites, searchable.';
  return (
    <Layout
      title={`${props.errors ? 'Error: ' : ''}${s.q ? `“${s.q}”: news links` : 'News links'}`}
      share={{ path: '/links', description }}
      head={<link rel="alternate" type="application/rss+xml" title="News links" href="/links.rss" />}
    >
      {props.errors ? <ErrorSummary errors={props.errors} /> : null}
      <h1>News links</h1>
      <p>Links to important new information on other websites. Search them, or read them all, newest first.</p>
      <form method="get" action="/links" class="link-search" role="search">
        <TextInput name="q" type="search" label="Search the links" hint={<>Use “quotes” for a phrase and a minus sign to leave a word out, like <code>maternity -closure</code>.</>} values={values} errors={props.errors} />
        <details class="link-search__more" open={Boolean(s.tag || s.source || s.from || s.to || s.region || s.sort) || undefined}>
          <summary>More ways to narrow the search</summary>
          <Select name="tag" label="Tag" placeholder="Any tag" options={props.tags.map((t) => ({ value: t, label: t }))} values={values} errors={props.errors} />
          <Select name="source" label="Source" placeholder="Any source" options={props.sources.map((t) => ({ value: t, label: t }))} values={values} errors={props.errors} />
          <Select name="region" label="Region" placeholder="Any region" options={props.regions} values={values} errors={props.errors} />
          <TextInput name="from" type="date" label="Published from" width="10" values={values} errors={props.errors} />
          <TextInput name="to" type="date" label="Published to" width="10" values={values} errors={props.errors} />
          <Select name="sort" label="Order" placeholder="Most relevant first (when searching)" options={[{ value: 'newest', label: 'Newest first' }, { value: 'relevance', label: 'Most relevant first' }]} values={values} errors={props.errors} />
        </details>
        <Button>Search</Button>
      </form>
      <p role="status">
        {count}
        {s.q ? `, ${result.sort === 'relevance' ? 'most relevant' : 'newest'} first` : ', newest first'}
        {' · '}
        <a href="/links.rss">RSS feed</a>
      </p>
      {result.links.length === 0 ? (
        <p>No links match. Try fewer or different words.</p>
      ) : (
        <ol class="link-results">
          {result.links.map((l) => (
            <FoundLinkItem link={l} />
          ))}
        </ol>
      )}
      <Pagination page={props.page} totalPages={props.totalPages} href={(page) => `/links${linksQueryString(s, page)}`} />
    </Layout>
  );
}

/** One link's own page: what it is, where from, and the way to it. */
export function LinkPage({ link, regions, constituencies }: { link: Link; regions: string[]; constituencies: string[] }) {
  const summary = formatSimpleText(link.summary);
  return (
    <Layout title={link.title} breadcrumbs={[{ href: '/links', label: 'News links' }]} share={{ path: linkPath(link), title: link.title, description: summary.text.slice(0, 200) || `${link.source}: ${link.title}` }}>
      <span class="caption">{link.source || 'News link'}</span>
      <h1>{link.title}</h1>
      <Byline link={link} />
      {link.summary ? <div class="prose" dangerouslySetInnerHTML={{ __html: summary.html }} /> : null}
      <p>
        <a class="button" href={link.url} rel="noopener">
          Read it on {link.source || new URL(link.url).hostname}
        </a>
      </p>
      {link.tags.length > 0 ? (
        <p>
          Tags:{' '}
          {link.tags.map((t, i) => (
            <>
              {i > 0 ? ', ' : null}
              <a href={`/links?tag=${encodeURIComponent(t)}`}>{t}</a>
            </>
          ))}
        </p>
      ) : null}
      {regions.length + constituencies.length > 0 ? <p>About: {[...constituencies, ...regions].join(', ')}</p> : null}
    </Layout>
  );
}
