import { ScrollingTable } from '../platform/index.ts';
import type { ConsentEventRecord, ConsentRecord } from './consent.ts';
import { consentMethodLabel } from './consent-methods.ts';
import { londonTime } from './people-views.tsx';
import type { TimelineEntry } from './person-record.ts';

/**
 * A person's consents as organisers read them, the same on the person page and the subject
 * access page: each purpose, whether it stands, when, how (in words: "Signing the petition
 * “Save the ward”", not `petition:2`) and the words agreed to; and the history behind them.
 */

/** A petition's name by its id, where the page knows it. */
export type PetitionName = (id: number) => string | undefined;

const consentStatus: Record<string, string> = { given: 'Given', pending: 'Asked, waiting for confirmation', withdrawn: 'Withdrawn' };
const consentEvent: Record<string, string> = { requested: 'Asked', given: 'Given', withdrawn: 'Withdrawn' };

/** Petition names from a person's timeline (each signing names its petition). */
export function petitionNamesFromTimeline(timeline: TimelineEntry[], names = new Map<number, string>()): PetitionName {
  for (const e of timeline) {
    if (e.kind === 'petition.signed' && e.subjectId && /^\d+$/.test(e.subjectId) && typeof e.detail.petition === 'string') names.set(Number(e.subjectId), e.detail.petition);
  }
  return (id) => names.get(id);
}

const wordsOf = (wording: ConsentRecord['wording']) => (wording ? `Version ${wording.version}: “${wording.text}”` : '–');

/** Each consent as a row: what it is for, whether it stands, when it was given, how, when withdrawn, and the words agreed to. */
export function ConsentRows({ consents, petitionName = () => undefined }: { consents: ConsentRecord[]; petitionName?: PetitionName | undefined }) {
  return (
    <ScrollingTable label="Consent for each purpose">
      <table class="table">
        <caption class="visually-hidden">Consent for each purpose</caption>
        <thead>
          <tr>
            <th scope="col">Purpose</th>
            <th scope="col">State</th>
            <th scope="col">Given</th>
            <th scope="col">How</th>
            <th scope="col">Withdrawn</th>
            <th scope="col">Words agreed to</th>
          </tr>
        </thead>
        <tbody>
          {consents.map((c) => (
            <tr>
              <th scope="row">{c.purpose.name}</th>
              <td>{consentStatus[c.status] ?? c.status}</td>
              <td>{c.givenAt ? londonTime(c.givenAt) : `Not yet (asked ${londonTime(c.requestedAt)})`}</td>
              <td>{consentMethodLabel(c.method, c.source, petitionName)}</td>
              <td>{c.withdrawnAt ? londonTime(c.withdrawnAt) : '–'}</td>
              <td>{wordsOf(c.wording)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}

/** The proof of consent: every request, confirmation and withdrawal, oldest first; the network address where the page may show it. */
export function ConsentHistoryRows({
  events,
  purposeName = () => undefined,
  petitionName = () => undefined,
  withNetworkAddress = false,
}: {
  events: ConsentEventRecord[];
  purposeName?: ((id: number) => string | undefined) | undefined;
  petitionName?: PetitionName | undefined;
  withNetworkAddress?: boolean;
}) {
  return (
    <ScrollingTable label="Consent history">
      <table class="table">
        <caption class="visually-hidden">Every consent request, confirmation and withdrawal, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Purpose</th>
            <th scope="col">What happened</th>
            <th scope="col">How</th>
            <th scope="col">Words shown</th>
            {withNetworkAddress ? <th scope="col">Network address</th> : null}
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr>
              <td>{londonTime(e.occurredAt)}</td>
              <td>{purposeName(e.purposeId) ?? e.purposeKey}</td>
              <td>{consentEvent[e.event] ?? e.event}</td>
              <td>{consentMethodLabel(e.method, e.source, petitionName)}</td>
              <td>{wordsOf(e.wording)}</td>
              {withNetworkAddress ? <td>{e.ip ?? '–'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollingTable>
  );
}
