import type { Group } from '../../coalition/index.ts';
import { Button, Checkbox, ChoiceGroup, ErrorSummary, Form, Layout, Select, TextArea, TextInput, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { NAME_MAX } from '../book-event.ts';
import { DESCRIPTION_MAX, NOTES_MAX, TITLE_MAX, eventTypeOptions } from '../event-form.ts';

export type HostMode = { kind: 'organiser'; groups: Group[]; selectedGroups: string[] } | { kind: 'supporter' } | { kind: 'closed' };

const accessBoxes: Array<[string, string]> = [
  ['access_step_free', 'Step-free access'],
  ['access_hearing_loop', 'Hearing loop'],
  ['access_bsl', 'British Sign Language interpretation'],
  ['access_seating', 'Seating'],
  ['access_toilets', 'Accessible toilets'],
  ['access_quiet_room', 'Quiet room'],
];

/** "Host an event": the form a member group's organiser or (if the coalition allows) a supporter sends for approval. */
export function HostEventPage({ mode, values = {}, errors }: { mode: HostMode; values?: FormValues; errors?: FieldErrors | undefined }) {
  const hasErrors = Object.keys(errors ?? {}).length > 0;
  const ticked = (name: string) => values[name] !== undefined && values[name] !== '';
  return (
    <Layout title={`${hasErrors ? 'Error: ' : ''}Host an event`} breadcrumbs={[{ href: '/events', label: 'Events' }]}>
      <ErrorSummary errors={errors} />
      <h1>Host an event</h1>
      {mode.kind === 'closed' ? (
        <>
          <p>Events on the calendar are hosted by the coalition’s member groups.</p>
          <p>
            If you organise for a member group, <a href="/sign-in?next=/events/host">sign in</a> to offer an event. Otherwise, ask <a href="/groups">a group near you</a> to host it with you.
          </p>
        </>
      ) : (
        <>
          <p class="lead">Tell us about your event. A coalition moderator checks every event before it goes on the calendar, and we email you either way.</p>
          <p>Hosted events are free to come to. People sign up on the event page.</p>
          <Form action="/events/host" csrf={false} class="event-form host-form" id="host-form">
            {mode.kind === 'organiser' ? (
              <ChoiceGroup
                type="checkbox"
                name="groups"
                legend="Which groups are hosting it?"
                hint="Choose one or more of the groups you organise for"
                options={mode.groups.map((g) => ({ value: String(g.id), label: g.name }))}
                selected={mode.selectedGroups}
                errors={errors}
              />
            ) : (
              <fieldset class="fieldset">
                <legend class="fieldset__legend">About you</legend>
                <TextInput name="host_name" label="Your name" autocomplete="name" maxLength={NAME_MAX} spellcheck={false} values={values} errors={errors} />
                <TextInput name="host_email" label="Your email address" type="email" autocomplete="email" hint="We email you when a moderator has looked at your event. It is not shown on the event page." spellcheck={false} values={values} errors={errors} />
              </fieldset>
            )}
            <TextInput name="title" label="Title" hint={`${TITLE_MAX} characters or fewer. For example: Save our maternity unit: street stall`} maxLength={TITLE_MAX} values={values} errors={errors} />
            <Select name="type" label="Type of event" options={eventTypeOptions} placeholder="Choose the type" values={values} errors={errors} />
            <TextArea name="description" label="Description" hint="What will happen, and why people should come. A blank line between paragraphs; **bold**; lines starting with - for a list." rows={6} maxLength={DESCRIPTION_MAX} values={values} errors={errors} />
            <fieldset class="fieldset">
              <legend class="fieldset__legend">When (UK time)</legend>
              <TextInput name="starts_at" type="datetime-local" label="Starts" hint="For example 2027-03-14 18:30" width="20" values={values} errors={errors} />
              <TextInput name="ends_at" type="datetime-local" label="Ends" hint="For example 2027-03-14 20:30" width="20" values={values} errors={errors} />
            </fieldset>
            <fieldset class="fieldset">
              <legend class="fieldset__legend">Where</legend>
              <TextInput name="venue_name" label="Venue name" hint="For example Barnsley Town Hall" values={values} errors={errors} />
              <TextArea name="address" label="Address" rows={3} values={values} errors={errors} />
              <TextInput name="postcode" label="Postcode" hint="Leave it blank for an online-only event" width="10" autocomplete="postal-code" values={values} errors={errors} />
              <TextInput name="online_url" type="url" label="Online link (optional)" hint="A full address starting with https://" values={values} errors={errors} />
              <Checkbox name="online_url_booked_only" label="Show the online link only to people who have signed up" checked={ticked('online_url_booked_only')} errors={errors} />
            </fieldset>
            <fieldset class="fieldset">
              <legend class="fieldset__legend">Access</legend>
              {accessBoxes.map(([name, label]) => (
                <Checkbox name={name} label={label} checked={ticked(name)} errors={errors} />
              ))}
              <TextArea name="access_notes" label="More about access (optional)" rows={3} maxLength={NOTES_MAX} values={values} errors={errors} />
            </fieldset>
            <TextArea name="speakers" label="Speakers (optional)" hint="One a line" rows={3} maxLength={NOTES_MAX} values={values} errors={errors} />
            <TextInput name="contact" label="Contact for the event page (optional)" hint="An email address or phone number people can ask about the event. It is shown publicly." values={values} errors={errors} />
            <TextInput name="capacity" label="How many people can come? (optional)" hint="Leave blank for no limit" width="5" inputmode="numeric" values={values} errors={errors} />
            <Button>Send for approval</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

export function HostSubmittedPage() {
  return (
    <Layout title="Event sent for approval" breadcrumbs={[{ href: '/events', label: 'Events' }]}>
      <div class="panel panel--confirmation">
        <h1>Thank you: your event is with us</h1>
        <p>A coalition moderator will look at it soon. We have emailed you a receipt, and will email you again when it is on the calendar or if we cannot list it.</p>
      </div>
      <p>
        <a href="/events">Back to events</a>
      </p>
    </Layout>
  );
}
