import type { ActionOpportunity, PetitionSignaturesInSeat } from './seat-page-data.ts';
import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, Pagination, PageNotice, ScrollingTable, Select, Tag, TextArea, TextInput, formatLondon, formatNumber, type FieldErrors, type FormValues, type Option } from '../../platform/index.ts';
import { formatShare, marginalityRankText } from '../marginality.ts';
import { partyName } from '../parties.ts';
import type { Candidate, ListSeat } from './list-seats.ts';
import { SEAT_ORDERS, seatOrderLabels, type SeatOrder } from './ranking.ts';
import { SEAT_FIGURES, weekChangeText, type SeatFigures } from './seat-figures.ts';
import { ResponsivenessTable } from '../letters/admin-views.tsx';
import type { MpResponsiveness } from '../letters/responsiveness.ts';
import { DESCRIPTION_MAX, NAME_MAX, POLITICIAN_ROLES, RULE_PARTIES } from './target-form.ts';
import { politicianRoleLabels, type TargetList, type TargetPolitician } from './target-lists.ts';

export const targetPath = (id: number, rest = '') => `/admin/targets/${id}${rest ? `/${rest}` : ''}`;
export const seatPath = (code: string) => `/admin/seats/${encodeURIComponent(code)}`;

const ownerName = (list: TargetList, groups: ReadonlyMap<number, string>) => (list.groupId === null ? 'Coalition-wide' : (groups.get(list.groupId) ?? 'A member group'));
const party = (p: string | null) => (p ? (partyName(p) ?? p) : '');

export function TargetListsPage(props: { lists: TargetList[]; groups: ReadonlyMap<number, string>; canCreate: boolean; notice?: string | undefined }) {
  return (
    <Layout title="Target lists">
      <h1>Target lists</h1>
      <PageNotice notice={props.notice} messages={{ deleted: 'The list was deleted.' }} />
      <p>The seats and politicians the campaign is aiming at: coalition-wide lists, and your groups’ own.</p>
      {props.canCreate ? (
        <p>
          <a class="button button--primary" href="/admin/targets/new">
            Make a target list
          </a>
        </p>
      ) : null}
      {props.lists.length === 0 ? (
        <p>No target lists yet.</p>
      ) : (
        <ScrollingTable label="Target lists">
          <table class="table">
            <caption class="visually-hidden">Target lists</caption>
            <thead>
              <tr>
                <th scope="col">List</th>
                <th scope="col">Whose</th>
                <th scope="col" class="numeric">
                  Seats
                </th>
                <th scope="col" class="numeric">
                  Politicians
                </th>
              </tr>
            </thead>
            <tbody>
              {props.lists.map((l) => (
                <tr>
                  <td>
                    <a href={targetPath(l.id)}>{l.name}</a>
                  </td>
                  <td>{ownerName(l, props.groups)}</td>
                  <td class="numeric">{formatNumber(l.seats)}</td>
                  <td class="numeric">{formatNumber(l.politicians)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
    </Layout>
  );
}

export interface ListFormProps {
  list?: TargetList | undefined;
  /** Whose list it may be: "" (coalition-wide) for admins, then the groups the viewer organises. */
  owners: Option[];
  regions: Option[];
  values: FormValues;
  selected: { winning: string[]; second: string[]; regions: string[] };
  errors?: FieldErrors | undefined;
}

const partyOptions: Option[] = RULE_PARTIES.map((p) => ({ value: p, label: partyName(p) ?? p }));

export function TargetListFormPage(props: ListFormProps) {
  const title = props.list ? `Change ${props.list.name}` : 'Make a target list';
  const { values, errors } = props;
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <Form action={props.list ? targetPath(props.list.id, 'edit') : '/admin/targets/new'}>
        <TextInput name="name" label="Name" hint={`For example: Election 2029: 40 seats. ${NAME_MAX} characters or fewer.`} maxLength={NAME_MAX} values={values} errors={errors} />
        <TextArea name="description" label="What the list is for (optional)" hint={`${DESCRIPTION_MAX} characters or fewer.`} values={values} errors={errors} />
        <Select name="group" label="Whose list" hint="Coalition-wide lists are made by coalition admins." options={props.owners} values={values} errors={errors} />
        <h2>Choose seats by rule (optional)</h2>
        <p>Every condition you give must hold. Leave them all empty to choose seats by hand. The seats are chosen again when election results are imported.</p>
        <TextInput name="max_majority" label="2024 majority below this share of the vote, in per cent" hint="For example 5 for seats won by under 5% of the valid votes." width="5" values={values} errors={errors} />
        <ChoiceGroup type="checkbox" name="winning" legend="Won in 2024 by" options={partyOptions} selected={props.selected.winning} errors={errors} inline />
        <ChoiceGroup type="checkbox" name="second" legend="Runner-up in 2024" options={partyOptions} selected={props.selected.second} errors={errors} inline />
        <ChoiceGroup type="checkbox" name="regions" legend="In these regions" options={props.regions} selected={props.selected.regions} errors={errors} />
        <Button>{props.list ? 'Save changes' : 'Make the list'}</Button>
      </Form>
      <p>
        <a href={props.list ? targetPath(props.list.id) : '/admin/targets'}>Cancel</a>
      </p>
    </Layout>
  );
}

export type RankedSeat = ListSeat & { figures: SeatFigures; rank: number };

export interface TargetListPageProps {
  list: TargetList;
  ruleText: string;
  owner: string;
  canManage: boolean;
  seats: RankedSeat[];
  total: number;
  order: SeatOrder;
  page: number;
  totalPages: number;
  politicians: TargetPolitician[];
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
  notice?: string | undefined;
}

const notices = {
  created: 'The list was made and its seats chosen.',
  updated: 'The list was saved and its seats chosen again.',
  'seat-added': 'The seat was added.',
  'seat-removed': 'The seat was taken off the list.',
  'politician-added': 'The politician was added.',
  'politician-removed': 'The politician was taken off the list.',
};

export function TargetListPage(props: TargetListPageProps) {
  const { list } = props;
  const orderHref = (order: SeatOrder, page = 1) => `${targetPath(list.id)}?order=${order}${page > 1 ? `&page=${page}` : ''}`;
  return (
    <Layout title={list.name} wide>
      <h1>{list.name}</h1>
      <PageNotice notice={props.notice} messages={notices} />
      <ErrorSummary errors={props.errors} />
      {list.description ? <p>{list.description}</p> : null}
      <dl class="summary-list">
        <div>
          <dt>Whose</dt>
          <dd>{props.owner}</dd>
        </div>
        <div>
          <dt>How seats are chosen</dt>
          <dd>
            {props.ruleText}
            {list.rule && list.evaluatedAt ? ` Chosen ${formatLondon(list.evaluatedAt)}.` : ''}
          </dd>
        </div>
      </dl>
      {props.canManage ? (
        <p>
          <a href={targetPath(list.id, 'edit')}>Change the name or rule</a>
        </p>
      ) : null}

      <h2>Seats ({formatNumber(props.total)})</h2>
      <p>
        <a href={targetPath(list.id, 'map')}>See the list on the map</a> · <a href={`/admin/targets/opportunities?list=${list.id}`}>Opportunities for action in its seats</a>
      </p>
      <nav aria-label="Order the seats">
        <p>
          Order:{' '}
          {SEAT_ORDERS.map((o, i) => (
            <>
              {i > 0 ? ' · ' : ''}
              {o === props.order ? <strong aria-current="true">{seatOrderLabels[o]}</strong> : <a href={orderHref(o)}>{seatOrderLabels[o]}</a>}
            </>
          ))}
        </p>
      </nav>
      {props.seats.length === 0 ? (
        <p>No seats on this list yet.</p>
      ) : (
        <ScrollingTable label="Seats on the list">
          <table class="table">
            <caption class="visually-hidden">Seats on the list, {seatOrderLabels[props.order].toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col" class="numeric">
                  Rank
                </th>
                <th scope="col">Seat</th>
                <th scope="col">MP</th>
                <th scope="col" class="numeric">
                  2024 majority
                </th>
                <th scope="col" class="numeric">
                  Signatures
                </th>
                <th scope="col" class="numeric">
                  Supporters
                </th>
                <th scope="col" class="numeric">
                  Events
                </th>
                {props.canManage ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.seats.map((s) => (
                <tr>
                  <td class="numeric">{s.rank}</td>
                  <td>
                    <a href={seatPath(s.code)}>{s.name}</a>
                    {s.chosen === 'hand' && list.rule ? (
                      <>
                        {' '}
                        <Tag colour="grey">Added by hand</Tag>
                      </>
                    ) : null}
                  </td>
                  <td>{s.mp ? `${s.mp.name}${s.mp.party ? ` (${party(s.mp.party)})` : ''}` : 'Not known'}</td>
                  <td class="numeric">{s.majority !== null && s.marginality !== null ? `${formatNumber(s.majority)} (${formatShare(s.marginality)})` : 'No result'}</td>
                  <td class="numeric">{formatNumber(s.figures.signatures)}</td>
                  <td class="numeric">{formatNumber(s.figures.supporters)}</td>
                  <td class="numeric">{formatNumber(s.figures.events)}</td>
                  {props.canManage ? (
                    <td>
                      <ActionButton action={targetPath(list.id, `seats/${s.code}/remove`)}>
                        Take off {s.name}
                      </ActionButton>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={props.page} totalPages={props.totalPages} href={(p) => orderHref(props.order, p)} />
      {props.canManage ? (
        <Form action={targetPath(list.id, 'seats')}>
          <TextInput name="seat" label="Add a seat by hand" hint="Its name or code, for example Hendon or E14001279." values={props.values} errors={props.errors} />
          <Button variant="secondary">Add the seat</Button>
        </Form>
      ) : null}

      <h2>High-profile politicians ({formatNumber(props.politicians.length)})</h2>
      {props.politicians.length === 0 ? (
        <p>No politicians on this list yet.</p>
      ) : (
        <ScrollingTable label="Politicians on the list">
          <table class="table">
            <caption class="visually-hidden">Politicians on the list</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Their seat</th>
                {props.canManage ? <th scope="col">Change</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.politicians.map((p) => (
                <tr>
                  <td>
                    {p.name}
                    {p.party ? ` (${party(p.party)})` : ''}
                  </td>
                  <td>
                    {politicianRoleLabels[p.role]}
                    {p.roleTitle ? `: ${p.roleTitle}` : ''}
                  </td>
                  <td>{p.constituency ? <a href={seatPath(p.constituency.code)}>{p.constituency.name}</a> : 'Not given'}</td>
                  {props.canManage ? (
                    <td>
                      <ActionButton action={targetPath(list.id, `politicians/${p.id}/remove`)}>
                        Take off {p.name}
                      </ActionButton>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      {props.canManage ? <PoliticianForm listId={list.id} values={props.values} errors={props.errors} /> : null}
      {props.canManage ? (
        <>
          <h2>Delete the list</h2>
          <ActionButton action={targetPath(list.id, 'delete')} variant="warning">
            Delete {list.name}
          </ActionButton>
        </>
      ) : null}
    </Layout>
  );
}

const roleOptions: Option[] = POLITICIAN_ROLES.map((r) => ({ value: r, label: politicianRoleLabels[r] }));

function PoliticianForm({ listId, values, errors }: { listId: number; values?: FormValues | undefined; errors?: FieldErrors | undefined }) {
  // Field names are prefixed so this form's errors and kept values never land on the seat form.
  return (
    <Form action={targetPath(listId, 'politicians')}>
      <h3>Add a politician</h3>
      <TextInput name="politician_name" label="Name" values={values} errors={errors} />
      <Select name="politician_role" label="Role" options={roleOptions} placeholder="Choose their role" values={values} errors={errors} />
      <TextInput name="politician_role_title" label="Role title (optional)" hint="For example: Secretary of State for Health and Social Care" values={values} errors={errors} />
      <TextInput name="politician_party" label="Party (optional)" values={values} errors={errors} />
      <TextInput name="politician_seat" label="Their own seat (optional)" hint="Its name or code." values={values} errors={errors} />
      <Button variant="secondary">Add the politician</Button>
    </Form>
  );
}

export interface SeatPageProps {
  seat: {
    code: string;
    name: string;
    regionName: string | null;
    mp: { name: string; party: string | null; partyName: string | null; sitting: boolean } | null;
    majority: number | null;
    marginality: number | null;
    marginalityRank: number | null;
    rankedSeats: number;
    result: string | null;
  };
  lists: Array<TargetList & { through: 'seat' | 'politician' }>;
  groups: ReadonlyMap<number, string>;
  candidates: Candidate[];
  figures: SeatFigures;
  /** What each figure gained in the last 7 days. */
  week: SeatFigures;
  petitions: PetitionSignaturesInSeat[];
  opportunities: ActionOpportunity[];
  /** How this seat's MP (and any before them) answered the letters sent through the hub. */
  responsiveness: MpResponsiveness[];
}

export function SeatPage(props: SeatPageProps) {
  const { seat, figures, week } = props;
  const byElection = new Map<string, Candidate[]>();
  for (const c of props.candidates) byElection.set(c.electionId, [...(byElection.get(c.electionId) ?? []), c]);
  return (
    <Layout title={seat.name}>
      <h1>{seat.name}</h1>
      <dl class="summary-list">
        <div>
          <dt>MP</dt>
          <dd>{seat.mp ? `${seat.mp.name}${seat.mp.partyName ? ` (${seat.mp.partyName})` : ''}${seat.mp.sitting ? '' : ', elected in 2024'}` : 'Not known'}</dd>
        </div>
        <div>
          <dt>2024 majority</dt>
          <dd>
            {seat.majority !== null && seat.marginality !== null
              ? `${formatNumber(seat.majority)} votes (${formatShare(seat.marginality)} of the valid votes)${seat.marginalityRank ? `: ${marginalityRankText(seat.marginalityRank, seat.rankedSeats)}` : ''}`
              : 'No result imported'}
          </dd>
        </div>
        {seat.result ? (
          <div>
            <dt>2024 result</dt>
            <dd>{seat.result}</dd>
          </div>
        ) : null}
        {seat.regionName ? (
          <div>
            <dt>Region</dt>
            <dd>{seat.regionName}</dd>
          </div>
        ) : null}
      </dl>
      <p>
        <a href={`/constituencies/${encodeURIComponent(seat.code)}`}>The public page for {seat.name}</a>
      </p>

      <h2>On target lists</h2>
      {props.lists.length === 0 ? (
        <p>Not on any target list you can see.</p>
      ) : (
        <ul class="list">
          {props.lists.map((l) => (
            <li>
              <a href={targetPath(l.id)}>{l.name}</a> ({l.groupId === null ? 'coalition-wide' : (props.groups.get(l.groupId) ?? 'a member group')}
              {l.through === 'politician' ? ', as a listed politician’s seat' : ''})
            </li>
          ))}
        </ul>
      )}

      <h2>Candidates</h2>
      {props.candidates.length === 0 ? (
        <p>No candidates imported for this seat. An admin can load Democracy Club’s candidates file with chorus import candidates.</p>
      ) : (
        [...byElection.entries()].map(([election, list]) => (
          <>
            <h3>
              {list[0]!.electionDate ? `Election on ${list[0]!.electionDate}` : election}
              {list[0]!.cancelledPoll ? ' (poll cancelled)' : ''}
            </h3>
            <ul class="list">
              {list.map((c) => (
                <li>
                  {c.name}
                  {c.party ? `, ${c.party}` : ''}
                  {c.elected ? ' (elected)' : ''}
                  {seat.mp && c.name === seat.mp.name ? ' (the sitting MP)' : ''}
                </li>
              ))}
            </ul>
          </>
        ))
      )}

      <h2>The campaign here</h2>
      <dl class="summary-list">
        <div>
          <dt>Signatures</dt>
          <dd>{formatNumber(figures.signatures)}</dd>
        </div>
        <div>
          <dt>Supporters</dt>
          <dd>
            {formatNumber(figures.supporters)}, of whom {formatNumber(figures.supportersWithConsent)} agreed to hear from us
          </dd>
        </div>
        <div>
          <dt>Stories</dt>
          <dd>
            {formatNumber(figures.storiesReady)} ready to use, {formatNumber(figures.storiesPublished)} published
          </dd>
        </div>
        <div>
          <dt>Storytellers</dt>
          <dd>{formatNumber(figures.storytellersReady)} ready to speak</dd>
        </div>
        <div>
          <dt>Events</dt>
          <dd>
            {formatNumber(figures.events)}, {formatNumber(figures.upcomingEvents)} still to come, {formatNumber(figures.bookings)} bookings
          </dd>
        </div>
        <div>
          <dt>Letters to the MP</dt>
          <dd>
            {formatNumber(figures.lettersSent)} sent, {formatNumber(figures.mpReplies)} {figures.mpReplies === 1 ? 'reply' : 'replies'} (as writers told us)
          </dd>
        </div>
      </dl>
      <p>
        Stories ready to use are consented, cleared of any safeguarding flag or hold, and not yet published. <a href="/admin/map">See every seat on the map</a>.
      </p>
      <h3>What changed in the last 7 days</h3>
      <ul class="list" aria-label="What changed in the last 7 days">
        {SEAT_FIGURES.map((f) => (
          <li data-figure={f}>{weekChangeText(f, week[f])}</li>
        ))}
      </ul>
      {props.petitions.length > 0 ? (
        <>
          <h3>Signatures per petition</h3>
          <ul class="list">
            {props.petitions.map((p) => (
              <li>
                <a href={p.adminPath}>{p.action}</a>: {formatNumber(p.signatures)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>How the MP answers letters</h3>
      <ResponsivenessTable rows={props.responsiveness} caption={`Letters to ${seat.name}'s MP and their replies`} />
      <h3>Hustings, surgeries and meetings with the MP or candidates</h3>
      {props.opportunities.length === 0 ? (
        <p>None coming up.</p>
      ) : (
        <ul class="list">
          {props.opportunities.map((o) => (
            <li>
              <a href={o.path}>{o.title}</a>, {formatLondon(o.startsAt)}: {o.politician.name || 'the MP'}
              {o.politician.party ? ` (${o.politician.party})` : ''}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

