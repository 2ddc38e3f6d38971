/**
 * What the events capability offers the others: the only file another capability may import
 * (the lint rule chorus/capability-boundaries holds this). Everything else in the folder is its own.
 */
export { findEvent, type ChorusEvent } from './store.ts';
export { waitingListRecipients } from './waiting-list.ts';
export { actionOpportunities, countsByConstituency, type ActionOpportunity, type ConstituencyEventCounts } from './hustings.ts';
export { eventTypes } from './states.ts';
