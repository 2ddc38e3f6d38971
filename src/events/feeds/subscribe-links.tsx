import { usePage, type PageSection } from '../../platform/index.ts';
import { eventsQ } from '../tables.ts';
import { groupHasFeedEvents } from './feed-events.ts';

/** The address a calendar app subscribes to: the feed's own address with webcal:// for its scheme. */
export const webcalUrl = (baseUrl: string, path: string) => `${baseUrl.replace(/^https?:\/\//i, 'webcal://')}${path}`;

/**
 * "Add to your calendar" links for a feed: webcal:// (a calendar app subscribes and keeps up with
 * changes), the .ics file itself, and the RSS feed of new events where one is given.
 */
export function CalendarSubscribe({ path, label, rss }: { path: string; label: string; rss?: string }) {
  const { baseUrl } = usePage();
  return (
    <p class="calendar-subscribe">
      <a href={webcalUrl(baseUrl, path)}>{label}</a> · <a href={path}>download the calendar file (.ics)</a>
      {rss ? (
        <>
          {' '}
          · <a href={rss}>RSS feed of new events</a>
        </>
      ) : null}
    </p>
  );
}

/** Each member group's page: subscribe to the group's events, once it has any. */
export const calendarSections: PageSection[] = [
  {
    order: 16,
    group: async ({ db }, group) => {
      if (!(await groupHasFeedEvents(eventsQ(db), group.id))) return null;
      return (
        <section class="front-section" aria-labelledby="group-calendar-heading">
          <h2 id="group-calendar-heading">Events calendar</h2>
          <CalendarSubscribe path={`/groups/${group.slug}/events.ics`} label={`Subscribe to ${group.name}’s events in your calendar`} rss={`/events.rss?group=${group.slug}`} />
        </section>
      );
    },
  },
];
