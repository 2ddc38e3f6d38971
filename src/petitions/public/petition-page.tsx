import { Layout, type ImageFacts, type ShareInfo, formatCalendarDate, formatLondon, formatNumber } from '../../platform/index.ts';
import type { Arrival } from '../arrival.ts';
import { hexmapPath, hexmapTitle, placesPath } from '../hexmap.ts';
import { reachedMilestones } from '../milestones.ts';
import type { ConstituencyTally } from '../petition-breakdown.ts';
import { rejectionReasons, type RejectionCode } from '../states.ts';
import type { Petition } from '../store.ts';
import { CountAndProgress, signatures } from './count-and-progress.tsx';
import { HexmapFigure, PlaceTable } from './places-page.tsx';
import { ShareBlock } from './share-block.tsx';
import { StateTag } from '../state-tag.tsx';
import { SignForm } from './sign-form.tsx';

export interface PetitionPageProps {
  petition: Petition;
  where: WhereSummary;
  baseUrl: string;
  hearMoreWording: string;
  /** The uploaded image's type and size, when it has one and they are known. */
  image?: ImageFacts | undefined;
  /** Where the visitor came from, for the sign form's hidden fields. */
  arrival?: Arrival | undefined;
  /** Demo postcodes to suggest on the sign form, while the demo constituencies are loaded. */
  demoPostcodes?: string | undefined;
}

function summary(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 200 ? flat : `${flat.slice(0, 197).replace(/\s+\S*$/, '')}…`;
}

/** How a shared link shows the petition: its background, its image or else the brand card (the layout's share tags). */
function shareOf(petition: Petition, facts: ImageFacts | undefined): ShareInfo {
  return {
    path: petition.path,
    title: petition.action,
    description: summary(petition.background) || `Sign the petition: ${petition.action}`,
    image: petition.imageUrl ? { url: petition.imageUrl, alt: petition.imageAlt ?? '', ...facts } : undefined,
  };
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p) => (
          <p>{p}</p>
        ))}
    </>
  );
}

function Outcomes({ petition }: { petition: Petition }) {
  const { response, handIn, debate } = petition;
  if (!response && !handIn && !debate) return null;
  return (
    <>
      {response ? (
        <section class="petition-outcome" aria-labelledby="response-heading">
          <h2 id="response-heading">Response from {petition.target}</h2>
          {response.date ? <p class="hint">Responded on {formatCalendarDate(response.date)}</p> : null}
          <p class="lead">{response.summary}</p>
          {response.details ? <Paragraphs text={response.details} /> : null}
        </section>
      ) : null}
      {handIn ? (
        <section class="petition-outcome" aria-labelledby="hand-in-heading">
          <h2 id="hand-in-heading">Hand-in</h2>
          <p>
            {handIn.date ? `Handed in on ${formatCalendarDate(handIn.date)}` : 'Handed in'}
            {handIn.place ? ` at ${handIn.place}` : ''}.
          </p>
          {handIn.link ? (
            <p>
              <a href={handIn.link} rel="noopener">
                Photos and report of the hand-in
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
      {debate ? (
        <section class="petition-outcome" aria-labelledby="debate-heading">
          <h2 id="debate-heading">Debate</h2>
          {debate.date ? <p>Debated on {formatCalendarDate(debate.date)}.</p> : null}
          {debate.outcome ? <Paragraphs text={debate.outcome} /> : null}
          {debate.links.length > 0 ? (
            <ul class="link-list">
              {debate.links.map((link) => (
                <li>
                  <a href={link} rel="noopener">
                    {link.replace(/^https?:\/\//, '')}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function Milestones({ petition }: { petition: Petition }) {
  if (petition.milestones.length === 0) return null;
  const reached = new Set(reachedMilestones(petition.milestones).map((m) => m.threshold));
  return (
    <section aria-labelledby="milestones-heading">
      <h2 id="milestones-heading">Milestones</h2>
      <ul class="milestones">
        {[...petition.milestones]
          .sort((a, b) => a.threshold - b.threshold)
          .map((m) => (
            <li class={reached.has(m.threshold) ? 'milestones__item milestones__item--reached' : 'milestones__item'}>
              <strong>{signatures(m.threshold)}</strong>: {m.label}.{' '}
              {m.reachedAt ? <span class="tag tag--green">Reached {formatLondon(m.reachedAt, 'date')}</span> : <span class="tag tag--grey">Not yet reached</span>}
            </li>
          ))}
      </ul>
    </section>
  );
}

/** The petition page's share of the "where" figures: the top constituencies, and the map's address and size. */
export interface WhereSummary {
  top: ConstituencyTally[];
  /** How many constituencies have signatures. */
  places: number;
  map: { width: number; height: number } | undefined;
}

function WhereFrom({ petition, where }: { petition: Petition; where: WhereSummary }) {
  const { top, places, map } = where;
  const full = placesPath(petition);
  return (
    <section aria-labelledby="where-heading">
      <h2 id="where-heading">Where signatures come from</h2>
      {map ? (
        <HexmapFigure
          src={hexmapPath(petition)}
          width={map.width}
          height={map.height}
          max={top[0]?.count ?? 0}
          alt={`${hexmapTitle(petition)}. A hex map of UK parliamentary constituencies shaded by how many people there have signed: ${places} ${places === 1 ? 'constituency has' : 'constituencies have'} signatures. The constituencies with the most are in the table below, and every one is in the full table.`}
        />
      ) : null}
      <PlaceTable
        caption="Constituencies with the most signatures"
        rows={top}
        place="Constituency"
        mp
        empty="No signatures from UK constituencies have been counted yet."
      />
      <p>
        <a href={full}>
          Signatures in every constituency, region and country{places > 0 ? ` (${formatNumber(places)} ${places === 1 ? 'constituency' : 'constituencies'})` : ''}
        </a>
      </p>
    </section>
  );
}

/** The public petition page. Nothing on it depends on who is looking, so it can be cached. */
export function PetitionPage({ petition, where, baseUrl, hearMoreWording, image, arrival, demoPostcodes }: PetitionPageProps) {
  const open = petition.state === 'open';
  const rejected = petition.state === 'rejected';
  return (
    <Layout
      title={petition.action}
      share={shareOf(petition, image)}
      head={<link rel="alternate" type="application/json" href={`/petitions/${petition.id}.json`} />}
      breadcrumbs={[{ href: '/petitions', label: 'Petitions' }]}
      scripts={petition.underAttack && open ? ['petition.js', 'altcha-solver.js'] : ['petition.js']}
    >
      <div class="petition-header">
        <StateTag state={petition.state} />
        <h1 class="petition-header__title">{petition.action}</h1>
        <p class="petition-header__target">
          To: <strong>{petition.target}</strong>
        </p>
        {petition.groups.length > 0 ? (
          <p class="petition-header__groups">
            Started by{' '}
            {petition.groups.map((g, i) => (
              <>
                {i > 0 ? (i === petition.groups.length - 1 ? ' and ' : ', ') : ''}
                <a href={`/groups/${g.slug}`}>{g.name}</a>
              </>
            ))}
          </p>
        ) : null}
        {open ? (
          <p class="petition-header__sign">
            <a class="button button--primary" href="#sign">
              Sign this petition
            </a>
          </p>
        ) : null}
      </div>
      {rejected ? (
        <div class="notice notice--warning" role="note">
          <h2 class="notice__title">This petition was rejected</h2>
          <p>{rejectionReasons[petition.rejection?.code as RejectionCode] ?? 'It did not meet the standards for petitions.'}</p>
          {petition.rejection?.details ? <p>{petition.rejection.details}</p> : null}
        </div>
      ) : (
        <CountAndProgress petition={petition} />
      )}
      {petition.imageUrl ? <img class="petition-image" src={petition.imageUrl} alt={petition.imageAlt ?? ''} /> : null}
      <Paragraphs text={petition.background} />
      {petition.additionalDetails.trim() ? (
        <details class="details">
          <summary class="details__summary">More details</summary>
          <div class="details__text">
            <Paragraphs text={petition.additionalDetails} />
          </div>
        </details>
      ) : null}
      <dl class="summary-list">
        {petition.openedAt ? (
          <div class="summary-list__row">
            <dt>Opened</dt>
            <dd>{formatLondon(petition.openedAt, 'date')}</dd>
          </div>
        ) : null}
        {open && petition.closingDate ? (
          <div class="summary-list__row">
            <dt>Closes</dt>
            <dd>{formatCalendarDate(petition.closingDate)}</dd>
          </div>
        ) : null}
        {petition.closedAt ? (
          <div class="summary-list__row">
            <dt>Closed</dt>
            <dd>{formatLondon(petition.closedAt, 'date')}</dd>
          </div>
        ) : null}
      </dl>
      {open ? (
        <section class="sign" id="sign" aria-labelledby="sign-heading">
          <h2 id="sign-heading">Sign this petition</h2>
          <SignForm petition={petition} hearMoreWording={hearMoreWording} arrival={arrival} demoPostcodes={demoPostcodes} />
        </section>
      ) : petition.state === 'closed' ? (
        <p class="notice notice--info">This petition is closed. It can no longer be signed.</p>
      ) : null}
      <Outcomes petition={petition} />
      {rejected ? null : (
        <>
          <Milestones petition={petition} />
          {open ? <ShareBlock petition={petition} baseUrl={baseUrl} /> : null}
          <WhereFrom petition={petition} where={where} />
        </>
      )}
      <p class="petition-data">
        <a href={`/petitions/${petition.id}.json`}>Get this petition’s data (JSON)</a>
      </p>
    </Layout>
  );
}
