/**
 * iCalendar (RFC 5545) text for events, written here because node_modules holds no iCalendar
 * library. Only what Chorus sends: VCALENDAR with VEVENTs, times in UTC (so no VTIMEZONE is
 * needed), TEXT values escaped (3.3.11) and content lines folded at 75 octets (3.1).
 */

export interface CalendarEntry {
  /** Stable for the life of the event, so a changed entry replaces the old one. */
  uid: string;
  /** Higher on every change a calendar should see. */
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  url?: string | undefined;
  status: 'CONFIRMED' | 'CANCELLED';
  /** When this text was made (DTSTAMP). */
  stamp?: Date;
}

/** 20270610T173000Z */
export function icsTime(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** A TEXT value: backslash, semicolon, comma and line breaks escaped; other control characters dropped. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/** Folds one content line: no line longer than 75 octets, never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // Continuation lines start with a space, which counts towards their 75.
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

function eventLines(entry: CalendarEntry, stamp: Date): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeText(entry.uid)}`,
    `DTSTAMP:${icsTime(entry.stamp ?? stamp)}`,
    `SEQUENCE:${Math.max(0, Math.floor(entry.sequence))}`,
    `DTSTART:${icsTime(entry.startsAt)}`,
    `DTEND:${icsTime(entry.endsAt)}`,
    `SUMMARY:${escapeText(entry.summary)}`,
  ];
  if (entry.description) lines.push(`DESCRIPTION:${escapeText(entry.description)}`);
  if (entry.location) lines.push(`LOCATION:${escapeText(entry.location)}`);
  // A URI value is not TEXT: it is written as it is, once it has no line breaks.
  if (entry.url) lines.push(`URL:${entry.url.replace(/[\r\n]/g, '')}`);
  lines.push(`STATUS:${entry.status}`, 'END:VEVENT');
  return lines;
}

/** A whole calendar: PUBLISH for a feed or a booking's copy, CANCEL for a cancelled event sent to those booked. */
export function calendar(entries: readonly CalendarEntry[], options: { name?: string; method?: 'PUBLISH' | 'CANCEL'; now?: Date } = {}): string {
  const stamp = options.now ?? new Date();
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Chorus//Events//EN', 'CALSCALE:GREGORIAN', `METHOD:${options.method ?? 'PUBLISH'}`];
  if (options.name) lines.push(`X-WR-CALNAME:${escapeText(options.name)}`);
  for (const entry of entries) lines.push(...eventLines(entry, stamp));
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
