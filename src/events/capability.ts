import { defineCapability, txViewOf, type TableHolds } from '../platform/index.ts';
import { loadEventDemo } from './demo.ts';
import { registerEventAdminRoutes } from './admin/routes.tsx';
import { registerEventPublicRoutes } from './public/routes.tsx';
import { bookingsOfPerson, eraseBookingsOfPerson } from './bookers.ts';
import { eventMigrations } from './migrations.ts';
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
    event_submissions: 'supporter',
  } satisfies Record<keyof EventTables, TableHolds>,
  migrations: eventMigrations,
  routes: { public: registerEventPublicRoutes, admin: registerEventAdminRoutes },
  publicNav: [{ href: '/events', label: 'Events', order: 15 }],
  adminNav: [{ href: '/admin/events', label: 'Events', order: 15, roles: ['admin', 'organiser', 'moderator'], description: 'Add events to the calendar and see who has booked.' }],
  demo: (tx, facts) => loadEventDemo(txViewOf<EventsView>(tx), (facts.coalition as { groupIds: Record<string, number> }).groupIds),
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
      name: 'event-submissions',
      label: 'Events they offered to host',
      tables: ['event_submissions'],
      export: (q, personId) => submissionsOfPerson(eventsQ(q), personId),
      erase: async (q, personId) => void (await eraseSubmissionsOfPerson(eventsQ(q), personId)),
      retention: 'Kept until the person asks for it to be erased; the events themselves stay.',
    },
  ],
});
