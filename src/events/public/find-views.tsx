import type { Group } from '../../coalition/index.ts';
import { Button, Checkbox, ErrorSummary, Form, Layout, Pagination, Select, TextInput, formatNumber, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { NEAR_MILES, type FoundEvents } from '../find-events.ts';
import { SEARCH_MAX, findQueryString } from '../find-query.ts';
import { eventTypeOptions } from '../event-form.ts';
import { CalendarSubscribe } from '../feeds/subscribe-links.tsx';
import { EventItem, FeedLinks, MonthList } from './views.tsx';

export interface FindEventsPageProps {
  found: FoundEvents;
  values: FormValues;
  errors: FieldErrors;
  nearPostcode: string | undefined;
  narrowed: boolean;
  page: number;
  totalPages: number;
  groups: Group[];
  regions: Map<string, string>;
}

const modeOptions = [
  { value: 'in_person', label: 'In person' },
  { value: 'online', label: 'Online' },
];

/** The filters, search and near-me form: a plain GET form, so it works without JavaScript. */
function FindForm({ values, errors, groups, regions }: Pick<FindEventsPageProps, 'values' | 'errors' | 'groups' | 'regions'>) {
  const more = Boolean(values.type || values.group || values.region || values.mode || values.free);
  return (
    <Form action="/events" method="get" class="event-find" id="find-events">
      <div class="event-find__main">
        <TextInput name="q" label="Search events" hint="Words in the title, description, venue or speakers" maxLength={SEARCH_MAX + 50} values={values} errors={errors} />
        <TextInput name="postcode" label="Near a postcode" hint="For example BS1 4DJ: nearest events first" width="10" autocomplete="postal-code" spellcheck={false} values={values} errors={errors} />
        <Select name="within" label="Within" options={NEAR_MILES.map((m) => ({ value: String(m), label: `${m} miles` }))} values={values} errors={errors} />
      </div>
      <details class="event-find__more" open={more}>
        <summary>More filters</summary>
        <Select name="type" label="Type of event" placeholder="Any type" options={eventTypeOptions} values={values} errors={errors} />
        <Select name="group" label="Organised by" placeholder="Any group" options={groups.map((g) => ({ value: g.slug, label: g.name }))} values={values} errors={errors} />
        <Select name="region" label="Region" placeholder="Anywhere" options={[...regions].map(([value, label]) => ({ value, label }))} values={values} errors={errors} />
        <Select name="mode" label="Online or in person" placeholder="Either" options={modeOptions} values={values} errors={errors} />
        <Checkbox name="free" label="Free events only" checked={values.free === 'yes'} errors={errors} />
      </details>
      <Button>Find events</Button>
    </Form>
  );
}

function resultHeading({ found, nearPostcode, values, narrowed }: FindEventsPageProps): string | undefined {
  const count = `${formatNumber(found.total)} ${found.total === 1 ? 'event' : 'events'}`;
  if (nearPostcode) return `${count} within ${values.within} miles of ${nearPostcode}, nearest first`;
  return narrowed ? `${count} found` : undefined;
}

/** Subscribe links for the calendar as filtered now: its type, region and group (the feeds take those three; search and distance they do not). */
function FeedSubscribe({ values }: { values: FormValues }) {
  const params = new URLSearchParams();
  for (const key of ['type', 'region', 'group'] as const) {
    const value = values[key];
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const query = params.size > 0 ? `?${params.toString()}` : '';
  return <CalendarSubscribe path={`/events.ics${query}`} label={query ? 'Subscribe to events of this type, region or group in your calendar' : 'Subscribe to every event in your calendar'} rss={`/events.rss${query}`} />;
}

/** /events: upcoming events by month, or nearest first from a postcode, with filters and search. */
export function FindEventsPage(props: FindEventsPageProps) {
  const { found, values, errors, nearPostcode, narrowed, page, totalPages } = props;
  const hasErrors = Object.keys(errors).length > 0;
  const heading = resultHeading(props);
  return (
    <Layout title={`${hasErrors ? 'Error: ' : ''}Events`} share={{ path: '/events', description: 'Rallies, public meetings, stalls and conferences of the campaign to defend our NHS, near you and online.' }} head={<FeedLinks />}>
      <ErrorSummary errors={errors} />
      <h1>Events</h1>
      <p class="lead">Rallies, marches, public meetings, stalls and training: come along.</p>
      <p>
        <a href="/events/host">Host an event</a>
      </p>
      <FeedSubscribe values={values} />
      <FindForm {...props} />
      <section aria-labelledby="event-results-heading" class="event-results">
        <h2 id="event-results-heading" class={heading ? undefined : 'visually-hidden'}>
          {heading ?? 'Upcoming events'}
        </h2>
        {nearPostcode ? <p class="hint">Events with a venue; for online events choose Online under More filters.</p> : null}
        {found.events.length === 0 ? (
          narrowed ? (
            <p>
              No upcoming events match. Try {nearPostcode ? 'a wider distance or ' : ''}fewer filters, or <a href="/events">see all events</a>.
            </p>
          ) : (
            <p>No events are planned yet. Please check again soon.</p>
          )
        ) : nearPostcode ? (
          <ul class="event-list">
            {found.events.map((e) => (
              <EventItem event={e} near={{ miles: found.miles.get(e.id) ?? 0, postcode: nearPostcode }} />
            ))}
          </ul>
        ) : (
          <MonthList events={found.events} />
        )}
      </section>
      <Pagination page={page} totalPages={totalPages} href={(n) => `/events${findQueryString(values, n)}`} />
      <p>
        <a href="/events/past">Past events</a>
      </p>
    </Layout>
  );
}
