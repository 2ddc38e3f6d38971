import { sql } from 'kysely';
import { countOf, type AuditSubjectName, type AuditWords, type Handle } from '../platform/index.ts';
import { displayName } from './person-record.ts';
import { supportersQ } from './tables.ts';

const numeric = (ids: string[]) => ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
const uuids = (ids: string[]) => ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));

/** Names of rows with an integer id and a name column, by id, each linking to `href(id)`. */
async function namesOf(handle: Handle, table: 'segments' | 'tags' | 'lists' | 'consent_purposes', ids: string[], href?: (id: number) => string): Promise<Map<string, AuditSubjectName>> {
  const wanted = numeric(ids);
  if (wanted.length === 0) return new Map();
  const rows = await supportersQ(handle).selectFrom(table).select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [String(r.id), { name: `“${r.name}”`, ...(href ? { href: href(r.id) } : {}) }]));
}

const page = (after: Record<string, unknown>) => (typeof after.page === 'number' && after.page > 1 ? `, page ${after.page}` : '');

function collectionWords(kind: 'tag' | 'list') {
  return {
    [`${kind}.create`]: { label: `Made the ${kind}` },
    [`${kind}.update`]: { label: `Renamed the ${kind}` },
    [`${kind}.delete`]: { label: `Deleted the ${kind}` },
    [`${kind}.add-segment`]: {
      label: `Added a segment’s people to the ${kind}`,
      sentence: ({ subject, after }: { subject: string; after: Record<string, unknown> }) => `Added ${countOf(after.added, 'person', 'people')} from a segment to the ${kind} ${subject}`,
    },
    [`${kind}.members.view`]: { label: `Looked at the people in the ${kind}` },
  };
}

/** The supporters' audit entries in words: who looked at whose data, and what changed. */
export const supporterAuditWords: AuditWords = {
  actions: {
    'people.search': {
      label: 'Searched people',
      sentence: ({ after }) => `Searched people and was shown ${countOf(after.shown, 'person', 'people')} of ${countOf(after.total, 'match', 'matches')}${page(after)}`,
    },
    'person.view': { label: 'Looked at the record of' },
    'person.update': { label: 'Edited the record of' },
    'person.erase': { label: 'Erased the personal data of' },
    'person.merge': { label: 'Merged a duplicate record into' },
    'person.consents.export': { label: 'Downloaded the consent proof of' },
    'person.data.view': { label: 'Looked at everything held about' },
    'person.data.export': { label: 'Downloaded everything held about' },
    'people.export': { label: 'Downloaded the consents given for' },
    'segment.create': { label: 'Made the segment' },
    'segment.update': { label: 'Edited the segment' },
    'segment.delete': { label: 'Deleted the segment' },
    'segment.export': {
      label: 'Downloaded the people in the segment',
      sentence: ({ subject, after }) => `Downloaded ${countOf(after.rows, 'person', 'people')} in the segment ${subject}${after.complete === false ? ' (not finished)' : ''}`,
    },
    'segment.people.view': { label: 'Looked at the people in the segment' },
    ...collectionWords('tag'),
    ...collectionWords('list'),
    'mailing.create': { label: 'Wrote the mailing' },
    'mailing.update': { label: 'Edited the mailing' },
    'mailing.preview': { label: 'Previewed, as one of its recipients, the mailing' },
    'mailing.test-send': { label: 'Sent a test of the mailing' },
    'mailing.send': { label: 'Started sending the mailing' },
    'mailing.schedule': { label: 'Scheduled the mailing' },
    'mailing.unschedule': { label: 'Took off the schedule the mailing' },
    'mailing.stop': { label: 'Stopped sending the mailing' },
    'mailing.finish': { label: 'Finished sending the mailing' },
    'retention.update': { label: 'Changed how long supporters’ data is kept', sentence: () => 'Changed how long supporters’ data is kept' },
    'retention.run': { label: 'Ran the data retention rules now', sentence: () => 'Ran the data retention rules now' },
  },
  subjects: {
    async person(handle, ids) {
      const wanted = uuids(ids);
      if (wanted.length === 0) return new Map();
      const rows = await sql<{ public_id: string; given_name: string | null; family_name: string | null; email: string | null; erased_at: Date | null }>`
        select public_id, given_name, family_name, email, erased_at from people where public_id = any(${wanted}::uuid[])`.execute(supportersQ(handle));
      return new Map(
        rows.rows.map((r) => {
          const name = displayName({ givenName: r.given_name, familyName: r.family_name, email: r.email, erasedAt: r.erased_at });
          return [r.public_id, r.erased_at ? { name: 'an erased person' } : { name, href: `/admin/people/${r.public_id}` }];
        }),
      );
    },
    segment: (handle, ids) => namesOf(handle, 'segments', ids, (id) => `/admin/segments/${id}`),
    tag: (handle, ids) => namesOf(handle, 'tags', ids, (id) => `/admin/tags/${id}`),
    list: (handle, ids) => namesOf(handle, 'lists', ids, (id) => `/admin/lists/${id}`),
    consent_purpose: (handle, ids) => namesOf(handle, 'consent_purposes', ids),
    async mailing(handle, ids) {
      const wanted = numeric(ids);
      if (wanted.length === 0) return new Map();
      const rows = await supportersQ(handle).selectFrom('mailings').select(['id', 'subject']).where('id', 'in', wanted).execute();
      return new Map(rows.map((r) => [String(r.id), { name: `“${r.subject}”`, href: `/admin/mailings/${r.id}` }]));
    },
  },
};
