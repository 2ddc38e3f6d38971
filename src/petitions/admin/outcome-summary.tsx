import type { Petition } from '../store.ts';
import { formatCalendarDate } from '../../platform/index.ts';

/** What has happened since: the response, the hand-in, the debate or meeting (as recorded). */
export function OutcomeSummary({ petition: p }: { petition: Petition }) {
  if (!p.response && !p.handIn && !p.debate) return null;
  return (
    <section aria-labelledby="outcomes-heading">
      <h2 id="outcomes-heading">What happened next</h2>
      {p.response ? (
        <>
          <h3>Response{p.response.date ? `, ${formatCalendarDate(p.response.date)}` : ''}</h3>
          <p>{p.response.summary}</p>
          {p.response.details ? <p class="petition-text">{p.response.details}</p> : null}
        </>
      ) : null}
      {p.handIn ? (
        <>
          <h3>Hand-in</h3>
          <p>
            {[p.handIn.date ? formatCalendarDate(p.handIn.date) : null, p.handIn.place].filter(Boolean).join(', ')}
            {p.handIn.link ? (
              <>
                {' '}
                (<a href={p.handIn.link}>photo or video</a>)
              </>
            ) : null}
          </p>
        </>
      ) : null}
      {p.debate ? (
        <>
          <h3>Debate or meeting{p.debate.date ? `, ${formatCalendarDate(p.debate.date)}` : ''}</h3>
          {p.debate.outcome ? <p class="petition-text">{p.debate.outcome}</p> : null}
          {p.debate.links.length > 0 ? (
            <ul>
              {p.debate.links.map((link) => (
                <li>
                  <a href={link}>{link}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
