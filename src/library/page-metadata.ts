import { Parser } from 'htmlparser2';

/** What a fetched page says about itself, to pre-fill the add-link form. */
export interface PageMetadata {
  title?: string;
  source?: string;
  /** YYYY-MM-DD. */
  publishedOn?: string;
  summary?: string;
  /** <link rel="canonical"> or og:url, resolved against the page's address. */
  canonical?: string;
}

const clean = (text: string | undefined, max: number) => {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** "2025-03-14T09:00:00Z", "2025-03-14" → "2025-03-14" (a date that is not one: undefined). */
export function dateOnly(text: string | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec((text ?? '').trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== `${m[1]}-${m[2]}-${m[3]}` ? undefined : `${m[1]}-${m[2]}-${m[3]}`;
}

type Json = unknown;
const ARTICLE = /^(NewsArticle|Article|ReportageNewsArticle|BlogPosting|WebPage|AnalysisNewsArticle|OpinionNewsArticle)$/;

/** The first article-like object in JSON-LD (top level, arrays, or @graph). */
function articleOf(data: Json, depth = 0): Record<string, unknown> | undefined {
  if (depth > 4 || data === null || typeof data !== 'object') return undefined;
  if (Array.isArray(data)) {
    for (const item of data) {
      const found = articleOf(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const record = data as Record<string, unknown>;
  const types = ([] as unknown[]).concat(record['@type'] ?? []);
  if (types.some((t) => typeof t === 'string' && ARTICLE.test(t))) return record;
  return articleOf(record['@graph'], depth + 1);
}

const textOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return textOf(value[0]);
  if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') return (value as { name: string }).name;
  return undefined;
};

/**
 * Reads Open Graph (and article:published_time), JSON-LD (NewsArticle and friends), the
 * description meta tags and <title> from a page's HTML. Open Graph wins, then JSON-LD, then the
 * plain tags. Never throws: a page that says nothing gives an empty answer.
 */
export function readPageMetadata(html: string, pageUrl: string): PageMetadata {
  const meta = new Map<string, string>();
  let title = '';
  let inTitle = false;
  let inJsonLd = false;
  let jsonText = '';
  const jsonLd: Json[] = [];
  let canonical: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'meta') {
          const key = (attrs.property ?? attrs.name ?? attrs.itemprop ?? '').toLowerCase();
          if (key && attrs.content !== undefined && !meta.has(key)) meta.set(key, attrs.content);
        } else if (name === 'title') inTitle = true;
        else if (name === 'link' && (attrs.rel ?? '').toLowerCase().split(/\s+/).includes('canonical') && attrs.href) canonical ??= attrs.href;
        else if (name === 'script' && (attrs.type ?? '').toLowerCase() === 'application/ld+json') {
          inJsonLd = true;
          jsonText = '';
        }
      },
      ontext(text) {
        if (inTitle) title += text;
        if (inJsonLd) jsonText += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (name === 'script' && inJsonLd) {
          inJsonLd = false;
          try {
            jsonLd.push(JSON.parse(jsonText) as Json);
          } catch {
            // A broken block says nothing.
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  const article = articleOf(jsonLd);
  const resolved = (href: string | undefined) => {
    if (!href) return undefined;
    try {
      const u = new URL(href, pageUrl);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
    } catch {
      return undefined;
    }
  };
  const found: PageMetadata = {};
  const put = <K extends keyof PageMetadata>(key: K, value: PageMetadata[K] | undefined) => {
    if (value !== undefined) found[key] = value;
  };
  put('title', clean(meta.get('og:title') ?? textOf(article?.headline) ?? meta.get('twitter:title') ?? title, 300));
  put('source', clean(meta.get('og:site_name') ?? textOf(article?.publisher) ?? meta.get('application-name'), 120));
  put('publishedOn', dateOnly(meta.get('article:published_time') ?? textOf(article?.datePublished) ?? meta.get('date') ?? meta.get('pubdate') ?? meta.get('datepublished')));
  put('summary', clean(meta.get('og:description') ?? textOf(article?.description) ?? meta.get('description') ?? meta.get('twitter:description'), 2000));
  put('canonical', resolved(canonical ?? meta.get('og:url')));
  return found;
}
