import { OutboundRefusedError, outboundFetch } from '../platform/index.ts';
import { readPageMetadata, type PageMetadata } from './page-metadata.ts';

/** The most of a page read for a preview, and how long it may take. */
export const PREVIEW_MAX_BYTES = 2 * 1024 * 1024;
export const PREVIEW_TIMEOUT_MS = 5_000;

/** Why a page could not be read; the organiser then types the details in. */
export type PreviewFailure = 'refused' | 'too-large' | 'timeout' | 'not-html' | 'failed';

export type LinkPreview = { ok: true; metadata: PageMetadata; finalUrl: string } | { ok: false; reason: PreviewFailure };

export const previewFailureWords: Record<PreviewFailure, string> = {
  refused: 'We do not fetch that address: it is not a public web address.',
  'too-large': 'That page is larger than 2 MB, so we did not read it.',
  timeout: 'That page took longer than 5 seconds to answer.',
  'not-html': 'That address is not a web page we can read.',
  failed: 'We could not fetch that page.',
};

/**
 * Fetches a page once, through the platform's outbound guard (public addresses only, redirects
 * checked again), at most 2 MB in 5 seconds, and reads what it says about itself. A page larger
 * than the limit is refused rather than read in part: its metadata may be past the cut.
 */
export async function fetchLinkPreview(address: string, allowHosts: readonly string[], limits: { maxBytes?: number; timeoutMs?: number } = {}): Promise<LinkPreview> {
  const maxBytes = limits.maxBytes ?? PREVIEW_MAX_BYTES;
  try {
    const response = await outboundFetch(address, {
      allowHosts,
      maxBytes,
      skipLargerBodies: true,
      timeoutMs: limits.timeoutMs ?? PREVIEW_TIMEOUT_MS,
      headers: { accept: 'text/html,application/xhtml+xml', 'user-agent': 'Chorus-LinkPreview/1.0' },
    });
    if (response.status < 200 || response.status >= 300) return { ok: false, reason: 'failed' };
    const declared = Number(response.headers['content-length'] ?? '0');
    if (response.truncated || declared > maxBytes) return { ok: false, reason: 'too-large' };
    const type = String(response.headers['content-type'] ?? 'text/html').toLowerCase();
    if (!type.includes('html')) return { ok: false, reason: 'not-html' };
    return { ok: true, metadata: readPageMetadata(response.body.toString('utf8'), response.url), finalUrl: response.url };
  } catch (error) {
    if (error instanceof OutboundRefusedError) return { ok: false, reason: 'refused' };
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { ok: false, reason: 'timeout' };
    return { ok: false, reason: 'failed' };
  }
}
