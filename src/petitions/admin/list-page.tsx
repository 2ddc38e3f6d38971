import { ScrollingTable, Button, Form, Layout, Pagination, Select, formatCalendarDate, formatLondon, formatNumber } from '../../platform/index.ts';
import type { PageOf } from '../admin-store.ts';
import { stateLabels } from '../states.ts';
import type { Petition } from '../store.ts';
import type { PetitionState } from '../tables.ts';
import { StateTag } from '../state-tag.tsx';
import { petitionAdminPath } from './petition-paths.ts';

export interface PetitionListProps {
  result: PageOf<Petition>;
  state: PetitionState | undefined;
  counts: Partial<Record<PetitionState, number>>;
  canCreate: boolean;
  /** Organisers see only their groups' petitions. */
  ownGroupsOnly: boolean;
}

function listHref(state: PetitionState | undefined, page: number): string {
  const params = new URLSearchParams();
  if (state) params.set('state', state);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/admin/petitions${query ? `?${query}` : ''}`;
}

export function PetitionListPage({ result, state, counts, canCreate, ownGroupsOnly }: PetitionListProps) {
  const all = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  const options = (Object.keys(stateLabels) as PetitionState[]).map((s) => ({ value: s, label: `${stateLabels[s]} (${counts[s] ?? 0})` }));
  return (
    <Layout title="Petitions" wide>
      <h1>Petitions</h1>
      <p>{ownGroupsOnly ? 'Petitions of the groups you organise for.' : 'Every petition of the coalition.'}</p>
      {canCreate ? (
        <p>
          <a class="button button--primary" href="/admin/petitions/new">
            Start a petition
          </a>
        </p>
      ) : null}
      <Form action="/admin/petitions" method="get" class="petition-filter">
        <Select name="state" label="Show" options={options} placeholder={`Every state (${all})`} value={state ?? ''} />
        <Button variant="secondary">Filter</Button>
      </Form>
      {result.items.length === 0 ? (
        <p>No petitions{state ? ` are ${stateLabels[state].toLowerCase()}` : ' yet'}.</p>
      ) : (
        <ScrollingTable label="Petitions">
          <table class="table">
            <caption class="visually-hidden">
              Petitions{state ? ` that are ${stateLabels[state].toLowerCase()}` : ''}, most recently changed first
            </caption>
            <thead>
              <tr>
                <th scope="col">Petition</th>
                <th scope="col">Groups</th>
                <th scope="col">State</th>
                <th scope="col" class="numeric">
                  Signatures
                </th>
                <th scope="col">Closes</th>
                <th scope="col">Last changed</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((p) => (
                <tr>
                  <td>
                    <a href={petitionAdminPath(p.id)}>{p.action}</a>
                  </td>
                  <td>{p.groups.map((g) => g.name).join(', ')}</td>
                  <td>
                    <StateTag state={p.state} />
                    {p.underAttack ? (
                      <>
                        {' '}
                        <strong class="tag tag--red">Under attack</strong>
                      </>
                    ) : null}
                  </td>
                  <td class="numeric">{formatNumber(p.signatureCount)}</td>
                  <td>{p.closingDate ? formatCalendarDate(p.closingDate) : '–'}</td>
                  <td>{formatLondon(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={result.page} totalPages={result.totalPages} href={(n) => listHref(state, n)} />
    </Layout>
  );
}
