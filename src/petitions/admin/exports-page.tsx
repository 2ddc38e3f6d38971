import { Readable } from 'node:stream';
import { Layout, formatCalendarDate, formatNumber, renderDocument, renderFragment, type PageContext } from '../../platform/index.ts';
import type { ExportedSigner } from '../export-signatures.ts';
import type { Petition } from '../store.ts';
import { petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

/** The downloads for a hand-in. */
export function ExportsPage({ petition }: { petition: Petition }) {
  const base = petitionAdminPath(petition.id, 'exports');
  return (
    <Layout title="Names and counts for a hand-in" breadcrumbs={petitionCrumbs(petition)}>
      <h1>Names and counts for a hand-in</h1>
      <p>
        Only confirmed signatures that count are included. Email addresses are never included. Each download is recorded in the audit
        log with your name.
      </p>
      <ul class="link-list">
        <li>
          <a href={`${base}/names.csv`} download>
            Names with their constituency (CSV)
          </a>
        </li>
        <li>
          <a href={`${base}/print`}>Names with their constituency, to print</a>
        </li>
        <li>
          <a href={`${base}/constituencies.csv`} download>
            Signatures by constituency, with the MP (CSV)
          </a>
        </li>
      </ul>
    </Layout>
  );
}

const ROWS = 'chorus-printable-rows-go-here';

function PrintableNames({ petition }: { petition: Petition }) {
  return (
    <Layout title={`Signatures: ${petition.action}`} breadcrumbs={petitionCrumbs(petition)} wide>
      <h1>{petition.action}</h1>
      <p>
        Addressed to {petition.target}. {formatNumber(petition.signatureCount)} signatures
        {petition.closingDate ? `; closing date ${formatCalendarDate(petition.closingDate)}` : ''}.
      </p>
      <table class="table printable-names">
        <caption>Signatures in the order they were made</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Constituency</th>
            <th scope="col">Country</th>
          </tr>
        </thead>
        <tbody>{ROWS}</tbody>
      </table>
    </Layout>
  );
}

/**
 * The printable list as a stream: the page is rendered once around a marker, then each batch of
 * rows is rendered (escaped by preact) and sent as it is read, so memory stays flat.
 */
export function printableNamesStream(petition: Petition, context: PageContext, batches: AsyncIterable<ExportedSigner[]>): Readable {
  const [head = '', tail = ''] = renderDocument(<PrintableNames petition={petition} />, context).split(ROWS);
  async function* html() {
    yield head;
    for await (const batch of batches) {
      yield renderFragment(
        <>
          {batch.map((s) => (
            <tr>
              <td>{s.name}</td>
              <td>{s.constituency}</td>
              <td>{s.country}</td>
            </tr>
          ))}
        </>,
      );
    }
    yield tail;
  }
  return Readable.from(html());
}
