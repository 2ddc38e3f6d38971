import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendar, escapeText, foldLine, icsTime } from './ics.ts';

/** Reads content lines back as RFC 5545 says a reader must: unfold, then unescape TEXT. */
function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
}
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_all, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

describe('iCalendar text', () => {
  it('writes times in UTC', () => {
    expect(icsTime(new Date('2027-06-10T17:30:00Z'))).toBe('20270610T173000Z');
  });

  it('escapes commas, semicolons, backslashes and line breaks in text', () => {
    expect(escapeText('Room 1, Floor 2; bring a \\ pen\r\nand a friend')).toBe('Room 1\\, Floor 2\\; bring a \\\\ pen\\nand a friend');
  });

  it('folds long lines at 75 octets without splitting a character, and unfolds to the same text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const line = `DESCRIPTION:${escapeText(text)}`;
        const folded = foldLine(line);
        for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
        expect(folded.replace(/\r\n /g, '')).toBe(line);
      }),
    );
  });

  it('writes a calendar whose lines read back to the event', () => {
    const text = calendar([
      {
        uid: 'event-7@chorus.test',
        sequence: 2,
        startsAt: new Date('2026-10-25T00:30:00Z'),
        endsAt: new Date('2026-10-25T02:00:00Z'),
        summary: 'Rally, march; and “speeches” — Zoë',
        description: `Line one\nLine two with a long tail ${'x'.repeat(120)}`,
        location: 'Carrs Lane Conference Centre, Birmingham B4 7SX',
        url: 'http://chorus.test/events/7-rally',
        status: 'CANCELLED',
      },
    ], { now: new Date('2026-10-01T00:00:00Z') });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    const lines = unfold(text);
    const value = (name: string) => unescapeText(lines.find((l) => l.startsWith(`${name}:`))!.slice(name.length + 1));
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(value('UID')).toBe('event-7@chorus.test');
    expect(value('SEQUENCE')).toBe('2');
    expect(value('DTSTAMP')).toBe('20261001T000000Z');
    expect(value('DTSTART')).toBe('20261025T003000Z');
    expect(value('DTEND')).toBe('20261025T020000Z');
    expect(value('SUMMARY')).toBe('Rally, march; and “speeches” — Zoë');
    expect(value('DESCRIPTION')).toBe(`Line one\nLine two with a long tail ${'x'.repeat(120)}`);
    expect(value('LOCATION')).toBe('Carrs Lane Conference Centre, Birmingham B4 7SX');
    expect(value('STATUS')).toBe('CANCELLED');
  });

  it('writes a cancellation an independent parser (ical.js) reads as METHOD:CANCEL of the same UID at a higher SEQUENCE, with UTC times across the October change', () => {
    const entry = { uid: 'event-9@chorus.test', startsAt: new Date('2027-10-31T01:30:00Z'), endsAt: new Date('2027-10-31T03:00:00Z'), summary: 'Vigil', url: 'http://chorus.test/events/9-vigil' };
    const read = (text: string) => {
      const cal = new ICAL.Component(ICAL.parse(text));
      const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
      return { method: cal.getFirstPropertyValue('method'), uid: event.uid, sequence: event.sequence, status: event.component.getFirstPropertyValue('status'), start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString() };
    };
    const booked = read(calendar([{ ...entry, sequence: 1, status: 'CONFIRMED' }]));
    const cancelled = read(calendar([{ ...entry, sequence: 3, status: 'CANCELLED' }], { method: 'CANCEL' }));
    expect(booked).toEqual({ method: 'PUBLISH', uid: 'event-9@chorus.test', sequence: 1, status: 'CONFIRMED', start: '2027-10-31T01:30:00.000Z', end: '2027-10-31T03:00:00.000Z' });
    expect(cancelled).toEqual({ ...booked, method: 'CANCEL', sequence: 3, status: 'CANCELLED' });
  });
});
