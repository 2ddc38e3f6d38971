import { z } from 'zod';
import { checkbox, optionalWebsite, type FormValues } from '../platform/index.ts';
import { fromLondonInput, toLondonInput, unsafeLinks } from '../supporters/index.ts';
import { readRepeat, repeatFormValues } from './repeat-rule.ts';
import { readUkTime, zoneChoiceFor } from './london-clock.ts';
import { eventTypes, isEventType } from './states.ts';
import type { ChorusEvent } from './store.ts';
import type { EventType } from './tables.ts';

export const TITLE_MAX = 150;
export const DESCRIPTION_MAX = 10_000;
export const TEXT_MAX = 500;
export const NOTES_MAX = 2_000;
export const TIER_ROWS = 4;
export const CAPACITY_MAX = 100_000;
export const PRICE_MAX_PENCE = 100_000_00;

export interface TierInput {
  /** The tier being edited (absent for a new one). */
  id: number | undefined;
  name: string;
  pricePence: number;
  capacity: number | null;
}

/** What the organiser's event form says, checked and in stored units (UTC instants, pence). */
export interface EventInput {
  groupIds: number[];
  title: string;
  description: string;
  type: EventType;
  startsAt: Date;
  endsAt: Date;
  venueName: string;
  address: string;
  postcode: string | null;
  onlineUrl: string | null;
  onlineUrlBookedOnly: boolean;
  access: { stepFree: boolean; hearingLoop: boolean; bsl: boolean; seating: boolean; toilets: boolean; quietRoom: boolean; notes: string };
  speakers: string;
  contact: string;
  capacity: number | null;
  tiers: TierInput[];
  /** How it repeats: an RRULE value read in UK time (repeat-rule.ts), or null. */
  repeatRule: string | null;
  /** Why the venue or time changed ("for access"): kept in the change history, shown and emailed with it. */
  changeNote: string;
  /** An MP (the seat's, from politics) or a candidate who will appear; the seat as typed (a code or postcode; null: the venue's). */
  politician: { kind: 'mp' | 'candidate'; seat: string | null; name: string; party: string } | null;
}

/** Browsers send line breaks as CRLF; a limit counts each break once, as the person sees it. */
const text = (name: string, max: number, required = false) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v),
    z
      .string()
      .optional()
      .transform((v) => (v ?? '').trim())
      .superRefine((v, ctx) => {
        if (required && v.length === 0) ctx.addIssue({ code: 'custom', message: `Enter ${name}` });
        else if (v.length > max) ctx.addIssue({ code: 'custom', message: `${name.charAt(0).toUpperCase()}${name.slice(1).replace(/^(an?|the) /, '')} must be ${max} characters or fewer` });
      }),
  );

const groupIds = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .transform((v) => [...new Set(v.map((id) => (/^\d{1,9}$/.test(id) ? Number(id) : NaN)).filter((id) => Number.isSafeInteger(id) && id > 0))])
  .refine((v) => v.length > 0, { message: 'Choose at least one organising group' });

/** "10", "£10", "5.50", "0" → pence; a negative price or a fraction of a penny is refused. */
export function parsePrice(raw: string): { pence: number } | { problem: string } {
  const bare = raw.trim().replace(/^£\s*/, '').replace(/,/g, '');
  if (bare === '') return { pence: 0 };
  if (/^-/.test(bare)) return { problem: 'Enter a price of £0 or more' };
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(bare);
  if (!match) return { problem: 'Enter the price in pounds and pence, like 10 or 5.50 (no fractions of a penny)' };
  const pence = Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  if (pence > PRICE_MAX_PENCE) return { problem: 'Enter a price of £100,000 or less' };
  return { pence };
}

/** A number of places: blank means no limit. */
export function parseCapacity(raw: string, name: string): { value: number | null } | { problem: string } {
  const bare = raw.trim().replace(/,/g, '');
  if (bare === '') return { value: null };
  if (!/^\d{1,7}$/.test(bare)) return { problem: `Enter the ${name} as a whole number of places, or leave it blank for no limit` };
  const n = Number(bare);
  if (n > CAPACITY_MAX) return { problem: `Enter a ${name} of ${CAPACITY_MAX.toLocaleString('en-GB')} places or fewer` };
  return { value: n };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The organiser's event form. Every field's problem is named at once (superRefine runs even when
 * other fields failed); the postcode's place and booked places are checked by saveEvent.
 */
export const eventFormSchema = z
  .object({
    groups: groupIds,
    title: text('the title', TITLE_MAX, true),
    description: text('a description', DESCRIPTION_MAX, true).refine((v) => unsafeLinks(v).length === 0, {
      message: 'Links in the description must be full web addresses starting with https://, or email addresses',
    }),
    type: z
      .string({ message: 'Choose the type of event' })
      .refine((v): v is EventType => isEventType(v), { message: 'Choose the type of event' }),
    starts_at: z.string().optional(),
    ends_at: z.string().optional(),
    venue_name: text('the venue name', TEXT_MAX),
    address: text('the address', TEXT_MAX),
    postcode: text('the postcode', 16),
    online_url: optionalWebsite('online link'),
    online_url_booked_only: checkbox(),
    access_step_free: checkbox(),
    access_hearing_loop: checkbox(),
    access_bsl: checkbox(),
    access_seating: checkbox(),
    access_toilets: checkbox(),
    access_quiet_room: checkbox(),
    access_notes: text('the access notes', NOTES_MAX),
    speakers: text('the speakers', NOTES_MAX),
    contact: text('the contact details', TEXT_MAX),
    capacity: z.string().optional(),
    change_note: text('the note about the change', TEXT_MAX),
    politician: z
      .string()
      .optional()
      .refine((v) => v === undefined || v === '' || v === 'mp' || v === 'candidate', { message: 'Choose whether an MP or a candidate will be there, or neither' }),
    politician_seat: text('the constituency', 40),
    politician_name: text('the candidate’s name', 200),
    politician_party: text('the candidate’s party', 100),
  })
  .passthrough()
  .superRefine(
    (value, ctx) => {
      const raw = value as Record<string, unknown>;
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      const start = str(raw.starts_at).trim();
      const end = str(raw.ends_at).trim();
      const startRead = start ? readUkTime(start, raw.starts_at_zone, 'Enter the start as a date and time, like 2027-03-14 18:30 (UK time)') : undefined;
      const endRead = end ? readUkTime(end, raw.ends_at_zone, 'Enter the end as a date and time, like 2027-03-14 20:30 (UK time)') : undefined;
      const startsAt = startRead && 'at' in startRead ? startRead.at : undefined;
      const endsAt = endRead && 'at' in endRead ? endRead.at : undefined;
      if (!startRead) issue('starts_at', 'Enter when the event starts');
      else if ('problem' in startRead) issue('starts_at', startRead.problem);
      if (!endRead) issue('ends_at', 'Enter when the event ends');
      else if ('problem' in endRead) issue('ends_at', endRead.problem);
      else if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) issue('ends_at', 'The end must be after the start');
      for (const p of readRepeat(raw, startsAt).problems) issue(p.field, p.message);
      const postcode = str(raw.postcode).trim();
      const online = str(raw.online_url).trim();
      if (!postcode && !online) issue('postcode', 'Enter the venue’s postcode, or an online link for an online event');
      if (raw.type === 'online_meeting' && !online) issue('online_url', 'Enter the link people use to join the online meeting');
      const capacity = parseCapacity(str(raw.capacity), 'capacity');
      if ('problem' in capacity) issue('capacity', capacity.problem);
      if (raw.politician === 'candidate' && !str(raw.politician_name).trim()) issue('politician_name', 'Enter the candidate’s name');
      for (let n = 1; n <= TIER_ROWS; n++) {
        const name = str(raw[`tier_${n}_name`]).trim();
        const price = parsePrice(str(raw[`tier_${n}_price`]));
        const places = parseCapacity(str(raw[`tier_${n}_capacity`]), 'number of places');
        if (name.length > 100) issue(`tier_${n}_name`, 'Ticket name must be 100 characters or fewer');
        if ('problem' in price) issue(`tier_${n}_price`, price.problem);
        if ('problem' in places) issue(`tier_${n}_capacity`, places.problem);
        const used = str(raw[`tier_${n}_price`]).trim() !== '' || str(raw[`tier_${n}_capacity`]).trim() !== '';
        if (!name && used) issue(`tier_${n}_name`, `Enter a name for ticket ${n}, like Waged or Concession`);
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .transform((v): EventInput => {
    const raw = v as Record<string, unknown>;
    const tiers: TierInput[] = [];
    for (let n = 1; n <= TIER_ROWS; n++) {
      const name = str(raw[`tier_${n}_name`]).trim();
      if (!name) continue;
      const id = str(raw[`tier_${n}_id`]);
      const price = parsePrice(str(raw[`tier_${n}_price`]));
      const places = parseCapacity(str(raw[`tier_${n}_capacity`]), 'number of places');
      tiers.push({
        id: /^\d{1,9}$/.test(id) ? Number(id) : undefined,
        name,
        pricePence: 'pence' in price ? price.pence : 0,
        capacity: 'value' in places ? places.value : null,
      });
    }
    const capacity = parseCapacity(str(raw.capacity), 'capacity');
    return {
      groupIds: v.groups,
      title: v.title,
      description: v.description,
      type: v.type as EventType,
      startsAt: (readUkTime(str(raw.starts_at), raw.starts_at_zone, '') as { at: Date }).at,
      endsAt: (readUkTime(str(raw.ends_at), raw.ends_at_zone, '') as { at: Date }).at,
      venueName: v.venue_name,
      address: v.address,
      postcode: v.postcode || null,
      onlineUrl: v.online_url ?? null,
      onlineUrlBookedOnly: v.online_url_booked_only,
      access: {
        stepFree: v.access_step_free,
        hearingLoop: v.access_hearing_loop,
        bsl: v.access_bsl,
        seating: v.access_seating,
        toilets: v.access_toilets,
        quietRoom: v.access_quiet_room,
        notes: v.access_notes,
      },
      speakers: v.speakers,
      contact: v.contact,
      capacity: 'value' in capacity ? capacity.value : null,
      tiers,
      repeatRule: readRepeat(raw, fromLondonInput(str(raw.starts_at))).rule,
      changeNote: v.change_note,
      politician:
        v.politician === 'mp' || v.politician === 'candidate'
          ? { kind: v.politician, seat: v.politician_seat || null, name: v.politician === 'candidate' ? v.politician_name : '', party: v.politician === 'candidate' ? v.politician_party : '' }
          : null,
    };
  });

const pounds = (pence: number) => (pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2));

/** An event as its edit form shows it. */
export function eventFormValues(e: ChorusEvent): FormValues {
  const values: FormValues = {
    title: e.title,
    description: e.description,
    type: e.type,
    starts_at: toLondonInput(e.startsAt),
    ends_at: toLondonInput(e.endsAt),
    starts_at_zone: zoneChoiceFor(e.startsAt),
    ends_at_zone: zoneChoiceFor(e.endsAt),
    venue_name: e.venueName,
    address: e.address,
    postcode: e.postcode ?? '',
    online_url: e.onlineUrl ?? '',
    access_notes: e.access.notes,
    speakers: e.speakers.join('\n'),
    contact: e.contact,
    capacity: e.capacity === null ? '' : String(e.capacity),
    ...repeatFormValues(e.repeatRule, e.startsAt),
    politician: e.politician?.kind ?? '',
    politician_seat: e.politician?.constituency.code ?? '',
    politician_name: e.politician?.kind === 'candidate' ? e.politician.name : '',
    politician_party: e.politician?.kind === 'candidate' ? (e.politician.party ?? '') : '',
  };
  const flags: Array<[string, boolean]> = [
    ['online_url_booked_only', e.onlineUrlBookedOnly],
    ['access_step_free', e.access.stepFree],
    ['access_hearing_loop', e.access.hearingLoop],
    ['access_bsl', e.access.bsl],
    ['access_seating', e.access.seating],
    ['access_toilets', e.access.toilets],
    ['access_quiet_room', e.access.quietRoom],
  ];
  for (const [name, on] of flags) if (on) values[name] = 'yes';
  e.tiers.forEach((tier, i) => {
    const n = i + 1;
    values[`tier_${n}_id`] = String(tier.id);
    values[`tier_${n}_name`] = tier.name;
    values[`tier_${n}_price`] = pounds(tier.pricePence);
    values[`tier_${n}_capacity`] = tier.capacity === null ? '' : String(tier.capacity);
  });
  return values;
}

export const eventTypeOptions = Object.entries(eventTypes).map(([value, label]) => ({ value, label }));
