/**
 * iCalendar (RFC 5545) text for events, written here because node_modules holds no iCalendar
 * library. Only what Chorus sends: VCALENDAR with VEVENTs, times in UTC (a repeating event's in
 * UK time with the Europe/London VTIMEZONE, so its RRULE keeps the clock time), TEXT values escaped (3.3.11) and content lines folded at 75 octets (3.1).
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
  /**
   * How the event repeats (an RRULE value). A repeating entry's DTSTART and DTEND are written as UK
   * clock times with TZID=Europe/London (and the calendar carries that VTIMEZONE), so every
   * occurrence keeps its clock time across the clock changes; UNTIL stays in UTC (3.3.10).
   */
  repeatRule?: string | null | undefined;
}

/** 20270610T183000: the UK clock's reading at that instant, for a TZID=Europe/London value. */
export function londonIcsTime(date: Date): string {
  const p = Object.fromEntries(londonParts.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.year}${p.month}${p.day}T${p.hour}${p.minute}${p.second}`;
}
const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Europe/London as its rules have stood since 1996 (all the dates Chorus writes): summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. */
const LONDON_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

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
    ...(entry.repeatRule
      ? [`DTSTART;TZID=Europe/London:${londonIcsTime(entry.startsAt)}`, `DTEND;TZID=Europe/London:${londonIcsTime(entry.endsAt)}`, `RRULE:${entry.repeatRule.replace(/[\r\n]/g, '')}`]
      : [`DTSTART:${icsTime(entry.startsAt)}`, `DTEND:${icsTime(entry.endsAt)}`]),
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
  if (entries.some((e) => e.repeatRule)) lines.push(...LONDON_VTIMEZONE);
  for (const entry of entries) lines.push(...eventLines(entry, stamp));
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
