import { createHash } from 'node:crypto';

export interface FeedText {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** A changed feed is rebuilt at once; one nothing touched is still rebuilt after this long (group names, the clock). */
const MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 500;

/**
 * Feed texts kept in this process, each with the version of the events it was built from
 * (feedVersion: one small aggregate). A calendar feed polled by many clients, or read under load,
 * then costs that one query, not a render; a change anywhere (in any process) shows at once.
 */
export class FeedCache {
  private entries = new Map<string, { version: string; at: number; text: Promise<FeedText> }>();

  async get(key: string, version: string, build: () => Promise<{ body: string; contentType: string }>): Promise<FeedText> {
    const now = Date.now();
    const kept = this.entries.get(key);
    if (kept && kept.version === version && now - kept.at < MAX_AGE_MS) return kept.text;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const text = build().then(({ body, contentType }) => {
      const bytes = Buffer.from(body);
      return { body: bytes, contentType, etag: `W/"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
    });
    this.entries.set(key, { version, at: now, text });
    text.catch(() => this.entries.delete(key));
    return text;
  }
}
