import fs from 'node:fs';
import MarkdownIt from 'markdown-it';
import type { FastifyInstance } from 'fastify';
import { Layout } from '../../platform/index.ts';

/**
 * The storytellers' privacy notice. Its one source is docs/stories-privacy-notice.md (the DPIA
 * beside it refers to it, and it is reviewed there as a document): Chorus runs from its source
 * folder (bin/chorus.js loads src/ through tsx, as it reads public/ and politics' shipped data), so
 * the file is there in every install. It is read and rendered once, at the first request.
 */
export const PRIVACY_NOTICE_FILE = new URL('../../../docs/stories-privacy-notice.md', import.meta.url);

// Plain formatting from our own file: no raw HTML, links only to web pages, email and our own pages.
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.validateLink = (url) => /^(https?:\/\/|mailto:|\/(?!\/))/i.test(url.trim());

export interface PrivacyNotice {
  title: string;
  html: string;
}

/** The notice as a title (its first heading) and the HTML of the rest. */
export function renderPrivacyNotice(markdown: string): PrivacyNotice {
  const heading = /^#\s+(.+)$/m.exec(markdown);
  const title = heading?.[1]?.trim() ?? 'Your story and your privacy';
  const body = heading ? markdown.replace(heading[0], '') : markdown;
  return { title, html: md.render(body) };
}

let rendered: PrivacyNotice | undefined;
export function privacyNotice(): PrivacyNotice {
  rendered ??= renderPrivacyNotice(fs.readFileSync(PRIVACY_NOTICE_FILE, 'utf8'));
  return rendered;
}

export function registerPrivacyNoticeRoute(app: FastifyInstance) {
  app.get('/stories/privacy', async (_request, reply) => {
    const notice = privacyNotice();
    return reply.header('cache-control', 'public, max-age=300').render(
      <Layout title={notice.title}>
        <h1>{notice.title}</h1>
        {/* Trusted HTML: rendered from our own file with raw HTML turned off (see md above). */}
        <div class="prose" dangerouslySetInnerHTML={{ __html: notice.html }} />
        <p>
          <a href="/stories/tell">Tell us your story</a>
        </p>
      </Layout>,
    );
  });
}
