import { Button, Form, Layout, ScrollingTable, Select, formatNumber, type Option } from '../../platform/index.ts';
import { colourBins, HexmapLinks, hexmapSize, type HexGrid } from '../hexmap.tsx';
import { formatShare } from '../marginality.ts';
import { partyName } from '../parties.ts';
import { defaultDirection, sortMapRows, type MapRow, type MapSort, type SeatMap, type SortDirection } from './map-data.ts';
import { FIGURES, type SeatFigure } from './seat-figures.ts';
import { seatPath, targetPath } from './views.tsx';

/** The narrowest a hex is across, in the map's units (HexmapLinks draws hexes 10 units from centre to corner). */
const HEX_ACROSS = Math.sqrt(3) * 10;
const MIN_TARGET_PX = 24;
/**
 * The page's styles allow no inline style (CSP), so the map's least width comes in steps of 100 px,
 * rounded up: hexmap-min-1 (100 px) to hexmap-min-16 (1,600 px) in app.css.
 */
export const minWidthClass = (mapWidth: number) => Math.min(16, Math.max(1, Math.ceil((mapWidth * MIN_TARGET_PX) / HEX_ACROSS / 100)));

const party = (p: string | null) => (p ? (partyName(p) ?? p) : '');
const mpText = (r: MapRow) => (r.mp ? `${r.mp.name}${r.mp.party ? ` (${party(r.mp.party)})` : ''}` : 'Not known');

/** Query strings of the map pages: only what differs from the defaults. */
export function mapHref(path: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]]))).toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The map: its image (a standalone SVG with its own title and description) under a layer of
 * links, one per hex, then the key. The links come after a link past them, so a keyboard user
 * need not tab through every seat to reach the table.
 */
function MapFigure(props: { grid: HexGrid; src: string; alt: string; figure: SeatFigure; max: number; seatHref: (code: string) => string; counts: ReadonlyMap<string, number>; outlined?: { codes: ReadonlySet<string>; label: string } | undefined }) {
  const size = hexmapSize(props.grid);
  const f = FIGURES[props.figure];
  if (!size) return <p>No hex map is imported yet, so the figures are shown as a table only. An admin can import one with chorus import hexjson.</p>;
  const outlined = props.outlined;
  return (
    <figure class="hexmap">
      <p>
        <a href="#map-table">Skip the map’s seat links, to the table</a>
      </p>
      {/* Never drawn so small that a hex is under 24 px across (WCAG 2.2 target size): a big map scrolls sideways instead. */}
      <div class="hexmap-scroll" role="region" aria-label="The map (scroll sideways on a small screen)" tabIndex={0}>
      <div class={`hexmap-stack hexmap-min-${minWidthClass(size.width)}`}>
        <img class="hexmap__img" src={props.src} width={size.width} height={size.height} alt={props.alt} decoding="async" />
        <HexmapLinks
          grid={props.grid}
          href={props.seatHref}
          name="The map’s seats: each opens its page"
          label={(hex) => {
            const n = props.counts.get(hex.code) ?? 0;
            return `${hex.name}: ${formatNumber(n)} ${n === 1 ? f.one : f.many}${outlined?.codes.has(hex.code) ? ` (${outlined.label})` : ''}`;
          }}
        />
      </div>
      </div>
      <figcaption>
        <p class="hexmap__key-title">Key: {f.many} per constituency</p>
        <ul class="hexmap-legend">
          {colourBins(props.max, f.many).map((b) => (
            <li>
              <span class={`hexmap-legend__swatch hex-fill--${b.level}`} aria-hidden="true" />
              {b.label}
            </li>
          ))}
          {outlined ? (
            <li>
              <span class="hexmap-legend__swatch hexmap-legend__swatch--outlined" aria-hidden="true" />
              Outlined: {outlined.label} ({formatNumber(outlined.codes.size)})
            </li>
          ) : null}
        </ul>
      </figcaption>
    </figure>
  );
}

interface TableProps {
  rows: MapRow[];
  figure: SeatFigure;
  sort: MapSort;
  dir: SortDirection;
  caption: string;
  sortHref: (sort: MapSort, dir: SortDirection) => string;
  seatHref: (code: string) => string;
  showOnList: boolean;
  showRank: boolean;
}

/** The map as a table (its text alternative): every row at once, ordered by any column heading. */
function MapTable(props: TableProps) {
  const rows = sortMapRows(props.rows, props.sort, props.dir);
  const heading = (sort: MapSort, label: string, numeric = false) => {
    const current = props.sort === sort;
    const next: SortDirection = current ? (props.dir === 'asc' ? 'desc' : 'asc') : defaultDirection[sort];
    return (
      <th scope="col" class={numeric ? 'numeric' : undefined} aria-sort={current ? (props.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        {/* aria-sort says how the table is ordered; the link orders it the other way. */}
        <a href={props.sortHref(sort, next)}>{label}</a>
      </th>
    );
  };
  return (
    <div id="map-table">
      <ScrollingTable label={props.caption}>
        <table class="table">
          <caption class="table__caption">{props.caption}</caption>
          <thead>
            <tr>
              {heading('seat', 'Seat')}
              <th scope="col">MP</th>
              {heading('majority', '2024 majority', true)}
              {props.showRank ? heading('rank', 'Marginality rank', true) : null}
              {heading('figure', FIGURES[props.figure].label, true)}
              {props.showOnList ? <th scope="col">On the list</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">
                  <a href={props.seatHref(r.code)}>{r.name}</a>
                </th>
                <td>{mpText(r)}</td>
                <td class="numeric">{r.majority !== null && r.marginality !== null ? `${formatNumber(r.majority)} (${formatShare(r.marginality)})` : 'No result'}</td>
                {props.showRank ? <td class="numeric">{r.nationalRank ?? '–'}</td> : null}
                <td class="numeric">{formatNumber(r.value)}</td>
                {props.showOnList ? <td>{r.onList ? 'Yes' : 'No'}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
    </div>
  );
}

export interface MapPageProps {
  map: SeatMap;
  /** Where this page is: a list's map or the all-seats map. */
  path: string;
  /** The lists the viewer may see, for the all-seats map's chooser (none on a list's own map). */
  lists?: Option[] | undefined;
  figures: readonly SeatFigure[];
  sort: MapSort;
  dir: SortDirection;
}

const figureOptions = (figures: readonly SeatFigure[]): Option[] => figures.map((f) => ({ value: f, label: FIGURES[f].label }));

/** The organisers' map: of one target list (its seats outlined, its seats in the table) or of every seat. */
export function MapPage(props: MapPageProps) {
  const { map } = props;
  const list = map.list;
  const f = FIGURES[map.figure];
  const listParam = props.lists ? list?.id : undefined;
  const href = (rest: Record<string, string | number | undefined>) => mapHref(props.path, { figure: map.figure, list: listParam, ...rest });
  const title = list && !props.lists ? `Map: ${list.name}` : 'Every seat on the map';
  const svg = mapHref(`${props.path}.svg`, { figure: map.figure, list: listParam });
  const csv = mapHref(`${props.path}.csv`, { list: listParam });
  const placed = map.rows.filter((r) => r.value > 0).length;
  return (
    <Layout title={title} wide breadcrumbs={list ? [{ href: '/admin/targets', label: 'Target lists' }, { href: targetPath(list.id), label: list.name }] : [{ href: '/admin/targets', label: 'Target lists' }]}>
      <h1>{title}</h1>
      <Form action={props.path} method="get" class="map-chooser">
        <Select name="figure" label="Colour the seats by" options={figureOptions(props.figures)} value={map.figure} />
        {props.lists ? <Select name="list" label="Outline a target list’s seats" options={props.lists} placeholder="No list" value={list ? String(list.id) : ''} /> : null}
        <Button variant="secondary">Show the map</Button>
      </Form>
      <MapFigure
        grid={map.grid}
        src={svg}
        alt={`Map of ${f.many} by constituency${list ? `, with the seats of ${list.name} outlined` : ''}. The table below gives every figure.`}
        figure={map.figure}
        max={map.max}
        counts={map.counts}
        seatHref={seatPath}
        outlined={list ? { codes: map.outlined, label: 'on the list' } : undefined}
      />
      <p>
        {formatNumber(placed)} of the {formatNumber(map.rows.length)} seats in the table have {f.many}. <a href={csv}>Download every seat’s figures (CSV)</a>
        {list && !props.lists ? (
          <>
            {' '}
            · <a href={mapHref('/admin/map', { figure: map.figure, list: list.id })}>Every seat, with this list outlined</a>
          </>
        ) : null}
      </p>
      <MapTable
        rows={map.rows}
        figure={map.figure}
        sort={props.sort}
        dir={props.dir}
        caption={list && !props.lists ? `The list’s seats and their ${f.many}` : `Every seat and its ${f.many}`}
        sortHref={(sort, dir) => `${href({ sort, dir })}#map-table`}
        seatHref={seatPath}
        showOnList={!!list && !!props.lists}
        showRank
      />
    </Layout>
  );
}

export interface PublicMapPageProps {
  map: SeatMap;
  figures: readonly SeatFigure[];
  sort: MapSort;
  dir: SortDirection;
}

const publicSeatPath = (code: string) => `/constituencies/${encodeURIComponent(code)}`;

/** The public map: the campaign's public activity by constituency, aggregates only. */
export function PublicMapPage(props: PublicMapPageProps) {
  const { map } = props;
  const f = FIGURES[map.figure];
  const href = (rest: Record<string, string | number | undefined>) => mapHref('/map', { figure: map.figure, ...rest });
  return (
    <Layout title="The campaign on the map" wide>
      <h1>The campaign on the map</h1>
      <p class="lead">Where people have signed, joined, told their stories and met, constituency by constituency. Only totals are shown: no one is named.</p>
      <Form action="/map" method="get" class="map-chooser">
        <Select name="figure" label="Colour the seats by" options={figureOptions(props.figures)} value={map.figure} />
        <Button variant="secondary">Show the map</Button>
      </Form>
      <MapFigure grid={map.grid} src={mapHref('/map.svg', { figure: map.figure })} alt={`Map of ${f.many} by constituency. The table below gives every figure.`} figure={map.figure} max={map.max} counts={map.counts} seatHref={publicSeatPath} />
      <MapTable rows={map.rows} figure={map.figure} sort={props.sort} dir={props.dir} caption={`Every constituency and its ${f.many}`} sortHref={(sort, dir) => `${href({ sort, dir })}#map-table`} seatHref={publicSeatPath} showOnList={false} showRank={false} />
    </Layout>
  );
}
