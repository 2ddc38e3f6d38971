/**
 * Personal details in a mailing: {{first_name}}, {{constituency}} and {{mp}}, each with an
 * optional fallback for people we know less about: {{first_name|friend}}.
 */
export const PLACEHOLDERS = {
  first_name: { fallback: 'friend', what: 'their first name' },
  constituency: { fallback: 'your constituency', what: 'the name of their constituency' },
  mp: { fallback: 'your MP', what: 'the name of their MP' },
} as const;

export type PlaceholderName = keyof typeof PLACEHOLDERS;

export interface Placeholder {
  name: PlaceholderName;
  fallback: string;
}

/** The details one recipient brings; missing ones fall back. */
export type PersonalDetails = Partial<Record<PlaceholderName, string | null | undefined>>;

const PATTERN = /\{\{\s*([a-z_]+)\s*(?:\|([^{}]*))?\}\}/g;

function isName(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name);
}

export type PlaceholderScan = { ok: true } | { ok: false; message: string };

/** Checks every {{...}} in a text names a known placeholder, so a typo is caught before sending. */
export function checkPlaceholders(text: string): PlaceholderScan {
  for (const match of text.matchAll(PATTERN)) {
    if (!isName(match[1]!)) {
      return { ok: false, message: `{{${match[1]}}} is not a placeholder we know: use ${knownList()}` };
    }
  }
  const rest = text.replace(PATTERN, '');
  if (rest.includes('{{') || rest.includes('}}')) {
    return { ok: false, message: `Write placeholders with double curly brackets, like {{first_name}} or {{first_name|friend}}` };
  }
  return { ok: true };
}

export function knownList(): string {
  return Object.keys(PLACEHOLDERS)
    .map((name) => `{{${name}}}`)
    .join(', ');
}

/**
 * Replaces each placeholder with `marker(i)` and returns the placeholders in order, so the text
 * can go through formatting untouched and be filled in per person afterwards.
 */
export function extractPlaceholders(text: string, marker: (index: number) => string, found: Placeholder[]): string {
  return text.replace(PATTERN, (whole, name: string, fallback: string | undefined) => {
    if (!isName(name)) return whole;
    found.push({ name, fallback: fallback?.trim() || PLACEHOLDERS[name].fallback });
    return marker(found.length - 1);
  });
}

/** What a placeholder becomes for one person. */
export function fillPlaceholder(placeholder: Placeholder, details: PersonalDetails): string {
  const value = details[placeholder.name]?.trim();
  return value ? value : placeholder.fallback;
}

/**
 * A subject as organisers read it in titles, lists and breadcrumbs: each placeholder as what it
 * stands for, in brackets ("Hello [first name, or friend]"), not as the code typed.
 */
export function readableSubject(subject: string): string {
  return subject.replace(PATTERN, (whole, name: string, fallback: string | undefined) => {
    if (!isName(name)) return whole;
    const label = name.replace(/_/g, ' ').replace(/^mp$/, 'MP');
    return `[${label}, or ${fallback?.trim() || PLACEHOLDERS[name].fallback}]`;
  });
}
