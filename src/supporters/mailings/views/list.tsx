import { ScrollingTable, Layout, Pagination, formatNumber } from '../../../platform/index.ts';
import type { Mailing } from '../store.ts';
import { StatusTag, whenText } from './labels.tsx';
import { readableSubject } from '../placeholders.ts';

export function MailingList({ items, page, totalPages, canCreate }: { items: Mailing[]; page: number; totalPages: number; canCreate: boolean }) {
  return (
    <Layout title="Mailings" wide>
      <h1>Mailings</h1>
      {canCreate ? (
        <p>
          <a class="button button--primary" href="/admin/mailings/new">
            Write a mailing
          </a>
        </p>
      ) : (
        <p>You are not an organiser of any group yet, so there is nobody you can write to.</p>
      )}
      {items.length === 0 ? (
        <p>No mailings yet.</p>
      ) : (
        <ScrollingTable label="Mailings"><table class="table">
          <caption class="visually-hidden">Mailings, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">From</th>
              <th scope="col">Status</th>
              <th scope="col">When (UK time)</th>
              <th scope="col" class="numeric">
                Recipients
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr>
                <td>
                  <a href={`/admin/mailings/${m.id}`}>{readableSubject(m.subject)}</a>
                </td>
                <td>{m.purposeName}</td>
                <td>
                  <StatusTag status={m.status} />
                </td>
                <td>{whenText(m)}</td>
                <td class="numeric">{m.recipientCount === null ? '–' : formatNumber(m.recipientCount)}</td>
              </tr>
            ))}
          </tbody>
        </table></ScrollingTable>
      )}
      <Pagination page={page} totalPages={totalPages} href={(p) => `/admin/mailings?page=${p}`} />
    </Layout>
  );
}
