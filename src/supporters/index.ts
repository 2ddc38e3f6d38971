/**
 * What the supporters capability offers the others: the only file another capability may import
 * (the lint rule chorus/capability-boundaries holds this). Everything else in the folder is its own.
 */
export { giveConsent, hasLiveConsent, purposeFor, withdrawConsent, wordingFor } from './consent.ts';
export { peopleWithLiveConsent } from './live-consents.ts';
export { findPersonInScope, listPeoplePage, publicIdsOfPeople, type PersonRow } from './people-pages.ts';
export { recordAction, splitName, upsertPerson, upsertPersonThrough } from './people.ts';
export { findPersonById } from './person-record.ts';
export { findSetInScope, findSetMember, listSetMembersPage, listSetsPage, taggingsOfPersonPage, type MemberRow, type PersonSet, type SetRow } from './person-set-pages.ts';
export { addMember, getCollection } from './collections/collections.ts';
export { ensureTagNamed } from './collections/tag-names.ts';
export { ensureListNamed } from './collections/collections.ts';
export { consentEventsAfter, newestConsentEventId, type SignUpEvent } from './sign-up-events.ts';
export { formatSimpleText, unsafeLinks } from './simple-formatting.ts';
export { fromLondonInput, toLondonInput } from './mailings/london-time.ts';
export { connectToGroups, personForUnprovenAction } from './people.ts';
export { requestSignUp } from './sign-up.ts';
export { activityMailingChoices, draftActivityMailing, type ActivitySender } from './mailings/mail-activity.ts';
export { countsByConstituency as supporterCountsByConstituency, type ConstituencySupporterCounts } from './counts-by-constituency.ts';
export { recordPeopleBatch, type BatchedAction, type BatchedPerson } from './record-people-batch.ts';
