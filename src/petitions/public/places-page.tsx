import { Layout, formatNumber } from '../../platform/index.ts';
import { colourBins } from '../../politics/index.ts';
import { placesPath } from '../hexmap.ts';
import type { Breakdown } from '../petition-breakdown.ts';
import type { Petition } from '../store.ts';
import { signatures } from './count-and-progress.tsx';

/**
 * The map as an image at its own address (cached apart from the page), with its key as text. The
 * image's alt says what it shows and where its figures are as tables.
 */
export function HexmapFigure({ src, width, height, max, alt }: { src: string; width: number; height: number; max: number; alt: string }) {
  return (
    <figure class="hexmap">
      <img class="hexmap__img" src={src} width={width} height={height} alt={alt} loading="lazy" decoding="async" />
      <figcaption>
        <p class="hexmap__key-title">Key: signatures per constituency</p>
        <ul class="hexmap-legend">
          {colourBins(max, 'signatures').map((b) => (
            <li>
              <span class={`hexmap-legend__swatch hex-fill--${b.level}`} aria-hidden="true" />
              {b.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** Signatures by place, largest first as given; `empty` says so when there are none. */
export function PlaceTable({ caption, rows, place, mp, empty }: { caption: string; rows: Array<{ name: string; count: number; mp?: string | null }>; place: string; mp?: boolean; empty?: string }) {
  if (rows.length === 0) return <p>{empty ?? `${caption}: none counted yet.`}</p>;
  return (
    <div class="table-scroll">
      <table class="table">
        <caption class="table__caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{place}</th>
            {mp ? <th scope="col">MP</th> : null}
            <th scope="col" class="numeric">
              Signatures
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.name}</th>
              {mp ? <td>{r.mp ?? '–'}</td> : null}
              <td class="numeric">{formatNumber(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Every constituency, region and country a petition's counted signatures come from, largest
 * first: the full figures behind the petition page's map and top constituencies. At most one row
 * per constituency (650), so one page holds them all and a reader can search it.
 */
export function PlacesPage({ petition, breakdown, baseUrl }: { petition: Petition; breakdown: Breakdown; baseUrl: string }) {
  const json = `/petitions/${petition.id}.json`;
  return (
    <Layout
      title={`Where signatures come from: ${petition.action}`}
      head={[<link rel="canonical" href={`${baseUrl}${placesPath(petition)}`} />, <link rel="alternate" type="application/json" href={json} />]}
      breadcrumbs={[
        { href: '/petitions', label: 'Petitions' },
        { href: petition.path, label: petition.action },
      ]}
    >
      <h1>Where signatures come from</h1>
      <p class="lead">
        <a href={petition.path}>{petition.action}</a>: {signatures(petition.signatureCount)} counted so far.
      </p>
      <p>
        Constituencies are listed from the most signatures to the fewest. Only constituencies, regions and countries with at least one counted signature are shown.
      </p>
      <nav aria-label="On this page">
        <ul class="link-list">
          <li>
            <a href="#constituencies">By constituency ({formatNumber(breakdown.constituencies.length)})</a>
          </li>
          <li>
            <a href="#regions">By region ({formatNumber(breakdown.regions.length)})</a>
          </li>
          <li>
            <a href="#countries">By country ({formatNumber(breakdown.countries.length)})</a>
          </li>
        </ul>
      </nav>
      <section id="constituencies" aria-label="By constituency">
        <PlaceTable caption="Signatures by constituency" rows={breakdown.constituencies} place="Constituency" mp />
      </section>
      <section id="regions" aria-label="By region">
        <PlaceTable caption="Signatures by region" rows={breakdown.regions} place="Region" />
      </section>
      <section id="countries" aria-label="By country">
        <PlaceTable caption="Signatures by country" rows={breakdown.countries} place="Country" />
      </section>
      <p class="petition-data">
        <a href={json}>Get these figures as data (JSON, with the petition)</a>
      </p>
    </Layout>
  );
}
