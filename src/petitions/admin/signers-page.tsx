import { ScrollingTable, Layout, Pagination, andList, formatLondon, formatNumber } from '../../platform/index.ts';
import type { SignerScope, SignersPage } from '../list-signers.ts';
import type { Petition } from '../store.ts';
import { emailSignersPath, petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

const signers = (n: number) => `${formatNumber(n)} ${n === 1 ? 'signer' : 'signers'}`;

function WhoIsShown({ scope, result }: { scope: SignerScope; result: SignersPage }) {
  if (scope.kind === 'everyone') return <p>{signers(result.shown)} who confirmed their signature.</p>;
  const groups = andList(scope.groups.map((g) => g.name));
  return (
    <p>
      {signers(result.shown)} who agreed to hear from {groups}
      {result.others > 0 ? `, and ${formatNumber(result.others)} ${result.others === 1 ? 'other' : 'others'} who did not agree to hear from you` : ''}. A
      coalition admin can let your group see every signer.
    </p>
  );
}

/** A petition's signers, as many as the viewer may see, with the download and "email these signers". */
export function SignersListPage({ petition, scope, result, page, totalPages }: { petition: Petition; scope: SignerScope; result: SignersPage; page: number; totalPages: number }) {
  return (
    <Layout title={`Signers: ${petition.action}`} breadcrumbs={petitionCrumbs(petition)} wide>
      <h1>Signers</h1>
      <WhoIsShown scope={scope} result={result} />
      <ul class="link-list">
        <li>
          <a href={petitionAdminPath(petition.id, 'signers.csv')} download>
            Export these signers (CSV)
          </a>
        </li>
        <li>
          <a href={emailSignersPath(petition.id)}>Email these signers</a>
        </li>
        <li>
          <a href={petitionAdminPath(petition.id, 'exports')}>Names and counts for a hand-in (every signer, no email addresses)</a>
        </li>
      </ul>
      <ScrollingTable label="Signers">
        <table class="table">
          <caption class="visually-hidden">Signers in the order they signed</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Constituency</th>
              <th scope="col">Signed</th>
            </tr>
          </thead>
          <tbody>
            {result.rows.map((s) => (
              <tr>
                <td>{s.name}</td>
                <td>{s.email}</td>
                <td>{s.constituency || s.country}</td>
                <td>{formatLondon(s.signedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollingTable>
      <Pagination page={page} totalPages={totalPages} href={(n) => `${petitionAdminPath(petition.id, 'signers')}?page=${n}`} />
    </Layout>
  );
}
