/** Independent readers of the feeds, for the tests: ical.js for iCalendar, htmlparser2 (strict checks added) for XML. Used only by tests. */
import ICAL from 'ical.js';
import { Parser, parseDocument } from 'htmlparser2';
import type { Document, Element } from 'domhandler';

export interface ParsedEvent {
  uid: string;
  sequence: number;
  stamp: string;
  start: ICAL.Time;
  end: ICAL.Time;
  summary: string;
  status: string;
  rrule: string | null;
  event: ICAL.Event;
}

/** A calendar as a client reads it (ical.js), with its VEVENTs; throws on text that does not parse. */
export function readCalendar(text: string): { name: string | null; method: string | null; events: ParsedEvent[]; timezones: string[] } {
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== 'vcalendar') throw new Error(`Expected a VCALENDAR, got ${root.name}`);
  // A calendar client registers the calendar's own VTIMEZONEs before reading times in them.
  const timezones = root.getAllSubcomponents('vtimezone').map((vtz) => {
    const zone = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(zone, zone.tzid);
    return zone.tzid;
  });
  const events = root.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const rrule = vevent.getFirstPropertyValue('rrule');
    return {
      uid: event.uid,
      sequence: event.sequence,
      stamp: String(vevent.getFirstPropertyValue('dtstamp')),
      start: event.startDate,
      end: event.endDate,
      summary: event.summary,
      status: String(vevent.getFirstPropertyValue('status')),
      rrule: rrule ? rrule.toString() : null,
      event,
    };
  });
  return { name: (root.getFirstPropertyValue('x-wr-calname') as string | null) ?? null, method: (root.getFirstPropertyValue('method') as string | null) ?? null, events, timezones };
}

/** What a calendar client keeps after reading entries: per UID, the entry with the highest SEQUENCE. */
export function calendarClient() {
  const kept = new Map<string, ParsedEvent>();
  return {
    read(text: string) {
      for (const e of readCalendar(text).events) {
        const old = kept.get(e.uid);
        if (!old || e.sequence > old.sequence) kept.set(e.uid, e);
      }
    },
    get: (uid: string) => kept.get(uid),
    size: () => kept.size,
  };
}

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 allows are spelled out
const XML_CHAR = /^[\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const BAD_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/;

/**
 * XML read with htmlparser2 in XML mode, plus the well-formedness rules it is lenient about: every
 * element closed explicitly and in order, one root element, only XML characters, every & an
 * entity, attribute values quoted. Throws naming the first problem.
 */
export function readXml(text: string): Document {
  if (!XML_CHAR.test(text)) throw new Error('Text has characters XML 1.0 does not allow');
  if (BAD_AMPERSAND.test(text)) throw new Error('An & that does not start an entity');
  if (/<[^>]*\s[\w:-]+=(?!["'])/.test(text)) throw new Error('An unquoted attribute value');
  const stack: string[] = [];
  let roots = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (stack.length === 0) roots += 1;
        stack.push(name);
      },
      onclosetag(name, isImplied) {
        // htmlparser2 calls an element ended by "/>" implied too: only that may be.
        if (isImplied && !text.slice(parser.startIndex, parser.endIndex + 1).endsWith('/>')) throw new Error(`<${name}> is not closed`);
        const open = stack.pop();
        if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      },
      onerror(error) {
        throw error;
      },
    },
    { xmlMode: true, recognizeSelfClosing: true },
  );
  parser.write(text);
  parser.end();
  if (stack.length > 0) throw new Error(`<${stack.at(-1)}> is not closed`);
  if (roots !== 1) throw new Error(`Expected one root element, found ${roots}`);
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error('No XML declaration');
  return parseDocument(text, { xmlMode: true, decodeEntities: true });
}

/** Child elements by name. */
export function children(node: Document | Element, name: string): Element[] {
  return node.children.filter((c): c is Element => c.type === 'tag' && (c as Element).name === name);
}

/** An element's text, entities decoded. */
export function textOf(node: Element | undefined): string {
  if (!node) return '';
  return node.children.map((c) => ('data' in c ? String(c.data) : c.type === 'tag' ? textOf(c as Element) : '')).join('');
}
