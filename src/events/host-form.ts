import { z } from 'zod';
import { emailAddress, formValues, parseForm, type FieldErrors, type FormValues } from '../platform/index.ts';
import { personName } from './book-event.ts';
import { eventFormSchema, type EventInput } from './event-form.ts';

/** The supporter's own details on the host form (an organiser's come from their account). */
const hostPersonSchema = z.object({
  host_name: personName,
  // eslint-disable-next-line no-control-regex
  host_email: emailAddress().refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'Enter an email address in the correct format, like name@example.com' }),
});

export type HostForm = { ok: true; input: EventInput; host: { name: string; email: string } | undefined } | { ok: false; values: FormValues; errors: FieldErrors };

/**
 * The host form: the organisers' event form without tickets (a hosted event is free to come to),
 * plus, for a supporter, their name and email instead of the groups. Every problem is named at once.
 */
export function parseHostForm(body: unknown, kind: 'organiser' | 'supporter'): HostForm {
  const fields: Record<string, unknown> = {};
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) if (!key.startsWith('tier_')) fields[key] = value;
  }
  // A supporter's event has no organising group; the event form asks for one, so it is given a stand-in here and dropped below.
  if (kind === 'supporter') fields.groups = '1';
  const event = parseForm(eventFormSchema, fields);
  const person = kind === 'supporter' ? parseForm(hostPersonSchema, fields) : undefined;
  if (!event.ok || (person && !person.ok)) {
    const errors: FieldErrors = { ...(person && !person.ok ? person.errors : {}), ...(event.ok ? {} : event.errors) };
    return { ok: false, values: formValues(body), errors };
  }
  const input: EventInput = kind === 'supporter' ? { ...event.value, groupIds: [], tiers: [] } : { ...event.value, tiers: [] };
  return { ok: true, input, host: person?.ok ? { name: person.value.host_name.replace(/\s+/g, ' '), email: person.value.host_email } : undefined };
}
