import MarkdownIt, { type MarkdownIt as Formatter, type Token } from 'markdown-it';

/**
 * Simple formatting for mailings: paragraphs, headings, bold and italic, lists, quotes and links.
 * No raw HTML passes (html: false), no images (remote images are how open-tracking works), and
 * links only to web pages and email addresses.
 */
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
const TRACKABLE_LINK = /^https?:\/\//i;

function formatter(validateLink: (url: string) => boolean): Formatter {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
  md.disable(['image', 'table']);
  md.validateLink = validateLink;
  return md;
}

const strict = formatter((url) => SAFE_LINK.test(url.trim()));
const permissive = formatter(() => true);

/** Links that would not survive formatting (javascript:, relative paths...), as typed. */
export function unsafeLinks(markdown: string): string[] {
  const found: string[] = [];
  for (const token of permissive.parse(markdown, {})) {
    for (const child of token.children ?? []) {
      if (child.type !== 'link_open') continue;
      const href = String(child.attrGet('href') ?? '');
      if (!SAFE_LINK.test(href.trim())) found.push(href);
    }
  }
  return found;
}

export interface FormattedBody {
  html: string;
  text: string;
  /** Web links in order of first appearance; each href was replaced by `linkMarker(index)`. */
  links: string[];
}

/** Formats a mailing's body as HTML and plain text, handing each web link to `linkMarker` for tracking. */
export function formatBody(markdown: string, linkMarker: (index: number) => string): FormattedBody {
  const tokens = strict.parse(markdown, {});
  const links: string[] = [];
  for (const token of tokens) {
    for (const child of token.children ?? []) {
      if (child.type !== 'link_open') continue;
      const href = String(child.attrGet('href') ?? '');
      if (!TRACKABLE_LINK.test(href)) continue;
      let index = links.indexOf(href);
      if (index < 0) index = links.push(href) - 1;
      child.attrSet('href', linkMarker(index));
    }
  }
  return { html: strict.renderer.render(tokens, strict.options, {}), text: plainText(tokens), links };
}

function inlineText(children: Token[]): string {
  let out = '';
  let label = '';
  let href: string | undefined;
  let bare = false;
  for (const child of children) {
    switch (child.type) {
      case 'text':
      case 'code_inline':
        if (href === undefined) out += child.content;
        else label += child.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        if (href === undefined) out += '\n';
        else label += ' ';
        break;
      case 'link_open':
        href = (String(child.attrGet('href') ?? '')).replace(/^mailto:/i, '');
        bare = child.markup === 'linkify';
        label = '';
        break;
      case 'link_close':
        out += bare ? (href ?? '') : `${label} (${href ?? ''})`;
        href = undefined;
        break;
    }
  }
  return out;
}

/** The plain-text part: the same words, with links written out after their labels. */
function plainText(tokens: Token[]): string {
  const lines: string[] = [];
  const lists: Array<{ ordered: boolean; next: number }> = [];
  let quote = 0;
  let itemPrefix = '';
  const emit = (text: string) => {
    for (const line of text.split('\n')) {
      lines.push(`${'> '.repeat(quote)}${itemPrefix}${line}`.trimEnd());
      itemPrefix = ' '.repeat(itemPrefix.length);
    }
  };
  const gap = () => {
    if (lists.length === 0 && lines.length > 0 && lines[lines.length - 1] !== '') lines.push('');
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'inline':
        emit(inlineText(token.children ?? []));
        break;
      case 'paragraph_close':
      case 'heading_close':
      case 'blockquote_close':
      case 'fence':
      case 'code_block':
        if (token.type === 'fence' || token.type === 'code_block') emit(token.content.replace(/\n$/, ''));
        if (token.type === 'blockquote_close') quote--;
        gap();
        break;
      case 'blockquote_open':
        quote++;
        break;
      case 'hr':
        emit('----');
        gap();
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        gap();
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1]!;
        const indent = '   '.repeat(lists.length - 1);
        itemPrefix = indent + (list.ordered ? `${list.next++}. ` : '- ');
        break;
      }
      case 'list_item_close':
        itemPrefix = '';
        break;
    }
  }
  return lines.join('\n').trim();
}
