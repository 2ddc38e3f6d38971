import { ScrollingTable, ActionButton, Layout, Notice, Pagination, formatLondon, formatNumber } from '../../platform/index.ts';
import type { HeldAddress } from '../held-signatures.ts';
import type { Petition } from '../store.ts';
import { petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

const notices: Record<string, string> = {
  released: 'Released: confirmed ones now count.',
  invalidated: 'Invalidated: they will not count.',
};

export interface HeldPageProps {
  petition: Petition;
  addresses: HeldAddress[];
  addressCount: number;
  heldCount: number;
  page: number;
  totalPages: number;
  notice?: string | undefined;
}

function Decide({ petition, ip, label }: { petition: Petition; ip: string; label: string }) {
  const action = petitionAdminPath(petition.id, 'held');
  return (
    <>
      <ActionButton action={action} fields={{ ip, decision: 'release' }}>
        Release<span class="visually-hidden"> {label}</span>
      </ActionButton>{' '}
      <ActionButton action={action} fields={{ ip, decision: 'invalidate' }} variant="warning">
        Invalidate<span class="visually-hidden"> {label}</span>
      </ActionButton>
    </>
  );
}

/** Signatures held over the per-address rate limit, grouped by address, for a moderator to decide. */
export function HeldPage({ petition, addresses, addressCount, heldCount, page, totalPages, notice }: HeldPageProps) {
  const message = notice ? notices[notice] : undefined;
  return (
    <Layout title="Held signatures" breadcrumbs={petitionCrumbs(petition)} wide>
      {message ? <Notice>{message}</Notice> : null}
      <h1>Held signatures</h1>
      <p>
        Signatures over the limit for one address are kept but not counted until you decide. Release the ones that look honest (a
        shared address such as a library or a ward); invalidate the rest.
      </p>
      <p class="lead">
        {formatNumber(heldCount)} held {heldCount === 1 ? 'signature' : 'signatures'} from {formatNumber(addressCount)}{' '}
        {addressCount === 1 ? 'address' : 'addresses'}.
      </p>
      {addresses.length === 0 ? null : (
        <>
          <ScrollingTable label="Held signatures by address">
            <table class="table">
              <caption class="visually-hidden">Held signatures by address, the most first</caption>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col" class="numeric">
                    Held
                  </th>
                  <th scope="col" class="numeric">
                    Confirmed by email
                  </th>
                  <th scope="col">First</th>
                  <th scope="col">Last</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {addresses.map((a) => (
                  <tr>
                    <th scope="row">
                      <code>{a.ip ?? 'No address'}</code>
                    </th>
                    <td class="numeric">{formatNumber(a.held)}</td>
                    <td class="numeric">{formatNumber(a.confirmed)}</td>
                    <td>{formatLondon(a.firstAt)}</td>
                    <td>{formatLondon(a.lastAt)}</td>
                    <td>
                      <Decide petition={petition} ip={a.ip ?? 'none'} label={`signatures held from ${a.ip ?? 'no address'}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollingTable>
          <Pagination page={page} totalPages={totalPages} href={(n) => `${petitionAdminPath(petition.id, 'held')}?page=${n}`} />
          <h2>Every held signature</h2>
          <p>
            <Decide petition={petition} ip="all" label="every held signature on this petition" />
          </p>
        </>
      )}
    </Layout>
  );
}
