import { defineCapability, txViewOf, type TableHolds } from '../platform/index.ts';
import { demoTargetSeats } from '../politics/index.ts';
import { loadEventDemo } from './demo.ts';
import { registerEventAdminRoutes } from './admin/routes.tsx';
import { registerEventPublicRoutes } from './public/routes.tsx';
import { registerEventFeedRoutes } from './feeds/routes.ts';
import { calendarSections } from './feeds/subscribe-links.tsx';
import { bookingsOfPerson, eraseBookingsOfPerson } from './bookers.ts';
import { notifyEventChanges } from './event-changes.ts';
import { eventMigrations } from './migrations.ts';
import { eventCron, eventJobs } from './jobs.ts';
import { registerWaitingListAdminRoutes } from './admin/waiting-list-routes.tsx';
import { registerWaitingListRoutes } from './public/waiting-list-routes.tsx';
import { eventSettings } from './settings.ts';
import { eraseWaitingEntriesOfPerson, waitingEntriesOfPerson } from './waiting-list.ts';
import { reminderCron, reminderJobs } from './reminders.ts';
import { eventAuditWords } from './audit-words.ts';
import { eventActivity } from './person-activity.ts';
import { eraseSubmissionsOfPerson, submissionsOfPerson } from './submitters.ts';
import { eventsQ, type EventTables, type EventsView } from './tables.ts';

/** Events: the shared calendar, ticket tiers and bookings. */
export const events = defineCapability({
  name: 'events',
  dependsOn: ['coalition', 'politics', 'supporters'],
  tables: {
    events: 'none',
    event_groups: 'none',
    ticket_tiers: 'none',
    bookings: 'supporter',
    waiting_list_entries: 'supporter',
    event_changes: 'organiser',
    event_reminders: 'none',
    event_submissions: 'supporter',
  } satisfies Record<keyof EventTables, TableHolds>,
  migrations: eventMigrations,
  routes: {
    public: (app, ctx) => {
      registerEventPublicRoutes(app, ctx);
      registerEventFeedRoutes(app, ctx);
      registerWaitingListRoutes(app, ctx);
    },
    admin: (app, ctx) => {
      registerEventAdminRoutes(app, ctx);
      registerWaitingListAdminRoutes(app, ctx);
    },
  },
  pageSections: calendarSections,
  jobs: [...eventJobs, notifyEventChanges, ...reminderJobs],
  cron: [...eventCron, ...reminderCron],
  settings: eventSettings,
  mailKinds: {
    'events.booking.confirmation': 'Event booking confirmation',
    'events.booking.cancelled': 'Event booking cancelled',
    'events.waiting-list.joined': 'Joined an event’s waiting list',
    'events.waiting-list.offer': 'Waiting list: places offered',
    'events.waiting-list.lapsed': 'Waiting list: offer lapsed',
    'events.change.notice': 'Event changed or cancelled',
    'events.booking.reminder': 'Event reminder (the day before)',
    'events.submission.received': 'Event submitted for approval',
    'events.submission.approved': 'Submitted event approved',
    'events.submission.declined': 'Submitted event declined',
  },
  publicNav: [{ href: '/events', label: 'Events', order: 15 }],
  adminNav: [{ href: '/admin/events', label: 'Events', order: 15, roles: ['admin', 'organiser', 'moderator'], description: 'Add events to the calendar and see who has booked.' }],
  demo: (tx, facts) => loadEventDemo(txViewOf<EventsView>(tx), (facts.coalition as { groupIds: Record<string, number> }).groupIds, demoTargetSeats(facts)),
  auditWords: eventAuditWords,
  personActivity: eventActivity,
  personalData: [
    {
      name: 'event-bookings',
      label: 'Event bookings',
      tables: ['bookings'],
      export: (q, personId) => bookingsOfPerson(eventsQ(q), personId),
      erase: async (q, personId) => void (await eraseBookingsOfPerson(eventsQ(q), personId)),
      retention: 'Bookings are kept until the person asks for them to be erased; the events’ totals stay.',
    },
    {
      name: 'event-waiting-lists',
      label: 'Event waiting lists',
      tables: ['waiting_list_entries'],
      export: (q, personId) => waitingEntriesOfPerson(eventsQ(q), personId),
      erase: async (q, personId) => void (await eraseWaitingEntriesOfPerson(eventsQ(q), personId)),
      retention: 'Waiting-list entries are kept until the person asks for them to be erased; places held for their offer are released to the next person.',
    },
    {
      name: 'event-submissions',
      label: 'Events they offered to host',
      tables: ['event_submissions'],
      export: (q, personId) => submissionsOfPerson(eventsQ(q), personId),
      erase: async (q, personId) => void (await eraseSubmissionsOfPerson(eventsQ(q), personId)),
      retention: 'Kept until the person asks for it to be erased; the events themselves stay.',
    },
  ],
});
