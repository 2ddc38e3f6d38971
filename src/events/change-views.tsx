import { formatLondon } from '../platform/index.ts';
import { changeFromTo, changeLabel, changeSentence, prominentChanges, type EventChange } from './event-changes.ts';

/** The latest change of venue, date or time and any cancellation, at the top of the event page. */
export function ChangeNotices({ changes }: { changes: readonly EventChange[] }) {
  const shown = prominentChanges(changes);
  if (shown.length === 0) return null;
  return (
    <div class="notice notice--warning event-changes" role="status">
      {shown.map((c) => (
        <p>
          <strong>{changeSentence(c)}</strong>
          {c.note ? ` (${c.note})` : ''}
        </p>
      ))}
      {changes.length > 1 ? (
        <p>
          <a href="#changes-heading">All changes to this event</a>
        </p>
      ) : null}
    </div>
  );
}

/** Every change, oldest first: what, from, to, when, why; who made it on the organisers' page. */
export function ChangeHistory({ changes, showWho = false }: { changes: readonly EventChange[]; showWho?: boolean }) {
  if (changes.length === 0) return null;
  return (
    <section aria-labelledby="changes-heading" class="event-change-history">
      <h2 id="changes-heading">Changes to this event</h2>
      <div class="table-scroll">
        <table class="table">
          <caption class="visually-hidden">Changes to this event, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What changed</th>
              <th scope="col">Was</th>
              <th scope="col">Now</th>
              {showWho ? <th scope="col">By</th> : null}
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => {
              const [from, to] = changeFromTo(c);
              return (
                <tr>
                  <td>{formatLondon(c.changedAt)}</td>
                  <td>{changeLabel(c)}</td>
                  <td>{from}</td>
                  <td>{to}</td>
                  {showWho ? <td>{c.changedBy}</td> : null}
                  <td>{c.note}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
