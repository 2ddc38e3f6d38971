import { eventTypes } from '../../events/index.ts';
import { Button, Form, Layout, Select, formatLondon } from '../../platform/index.ts';
import type { OpportunitiesPage, TargetOpportunity } from './opportunities.ts';
import { seatPath, targetPath } from './views.tsx';

function Storytellers({ o }: { o: TargetOpportunity }) {
  const { near } = o;
  if (near.near === 'none') return <p>No storyteller you can see is ready to speak in {o.constituency.name} or its region.</p>;
  return (
    <>
      <p>{near.near === 'constituency' ? `Storytellers ready to speak in ${o.constituency.name}:` : `None ready in ${o.constituency.name} itself; ready to speak in its region:`}</p>
      <ul class="list">
        {near.storytellers.map((s, i) => (
          <li>
            <a href={s.path}>
              Storyteller {i + 1}
              <span class="visually-hidden"> for {o.title}</span>
            </a>{' '}
            ({s.stageLabel}
            {s.topics.length ? `; speaks on ${s.topics.join(', ')}` : ''})
          </li>
        ))}
      </ul>
    </>
  );
}

/** Where an organiser can act in the target seats: each event with an MP or candidate, and who could speak there. */
export function OpportunitiesPageView(props: OpportunitiesPage) {
  const options = props.lists.map((l) => ({ value: String(l.id), label: l.name }));
  return (
    <Layout title="Opportunities for action">
      <h1>Opportunities for action</h1>
      <p>Hustings, surgeries, public meetings and visits where an MP or a candidate will be, in the seats of your target lists, soonest first, with the storytellers ready to speak in or near each seat. Storytellers are named on their own page, for those who may see them.</p>
      <Form action="/admin/targets/opportunities" method="get" class="map-chooser">
        <Select name="list" label="Target list" options={options} placeholder="All the lists you can see" value={props.list ? String(props.list.id) : ''} />
        <Button variant="secondary">Show</Button>
      </Form>
      <p>
        {props.list ? (
          <>
            In the {props.seats} seats of <a href={targetPath(props.list.id)}>{props.list.name}</a>.
          </>
        ) : (
          `In the ${props.seats} seats of the ${props.lists.length} lists you can see.`
        )}
      </p>
      {props.opportunities.length === 0 ? (
        <p>None coming up in these seats.</p>
      ) : (
        <ol class="list opportunity-list">
          {props.opportunities.map((o) => (
            <li class="opportunity">
              <h2>
                <a href={o.path}>{o.title}</a>
              </h2>
              <p>
                {eventTypes[o.type]}, {formatLondon(o.startsAt)}, with {o.politician.name || 'the MP'}
                {o.politician.party ? ` (${o.politician.party})` : ''}, {o.politician.kind === 'mp' ? 'MP' : 'candidate'} for <a href={seatPath(o.constituency.code)}>{o.constituency.name}</a>. On{' '}
                {o.lists.map((l, i) => (
                  <>
                    {i > 0 ? ', ' : ''}
                    <a href={targetPath(l.id)}>{l.name}</a>
                  </>
                ))}
                .
              </p>
              <Storytellers o={o} />
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}
