import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { PageContextValue, type PageContext } from './context.ts';

/** Renders a page to an HTML document. JSX text and attributes are escaped by preact. */
export function renderDocument(page: VNode, context: PageContext): string {
  return '<!doctype html>' + renderToString(<PageContextValue.Provider value={context}>{page}</PageContextValue.Provider>);
}

/** Renders a fragment without the document prefix (emails, partials). */
export function renderFragment(node: VNode): string {
  return renderToString(node);
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML built outside JSX (templates filled in per recipient, copy-paste embed code). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c]!);
}
