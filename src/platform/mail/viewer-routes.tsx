import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PlatformDb as Db } from '../db/view.ts';
import { notFound } from '../http/errors.ts';
import { requireRole } from '../http/guards.ts';
import { Pagination, ScrollingTable } from '../web/components.tsx';
import { parseParams, parseRequest, queryText } from '../web/forms.ts';
import { Layout } from '../web/layout.tsx';
import { findOutboundEmail, findOutboundEmailHtml, listOutboundEmails } from './list-outbound-emails.ts';
import { formatLondon } from '../web/format.ts';
import { pageCount, pageFrom } from '../http/pagination.ts';

const PER_PAGE = 50;

interface MailRow {
  id: number;
  kind: string;
  to_address: string;
  subject: string;
  status: string;
  created_at: Date;
  sent_at: Date | null;
  last_error: string | null;
}

const statusLabel: Record<string, string> = {
  queued: 'Waiting to send',
  sent: 'Sent',
  kept: 'Kept (no SMTP server set up)',
  failed: 'Failed',
};

/** What a message is, in words: the sender's own name for its kind, else the kind's last part made readable. */
export type MailKinds = Readonly<Record<string, string>>;

function kindLabel(kinds: MailKinds, kind: string): string {
  const known = kinds[kind];
  if (known) return known;
  const last = (kind.split('.').pop() ?? kind).replace(/[-_]+/g, ' ').trim();
  return last ? last.charAt(0).toUpperCase() + last.slice(1) : 'Email';
}

function MailList({ rows, page, totalPages, smtpConfigured, kinds }: { rows: MailRow[]; page: number; totalPages: number; smtpConfigured: boolean; kinds: MailKinds }) {
  return (
    <Layout title="Outgoing mail" wide>
      <h1>Outgoing mail</h1>
      <p>
        {smtpConfigured
          ? 'Every message Chorus has sent or is about to send. An SMTP server is set up, so only who each went to and when is shown, not the messages themselves.'
          : 'No SMTP server is set up (SMTP_URL), so messages are kept here instead of being sent. Open one to follow its links.'}
      </p>
      {rows.length === 0 ? (
        <p>No mail yet.</p>
      ) : (
        <ScrollingTable label="Outgoing mail">
          <table class="table">
            <caption class="visually-hidden">Outgoing mail, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">To</th>
                <th scope="col">Kind</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>{formatLondon(row.created_at)}</td>
                  <td>{row.to_address}</td>
                  <td>{kindLabel(kinds, row.kind)}</td>
                  <td>
                    <a href={`/admin/mail/${row.id}`}>{row.subject}</a>
                  </td>
                  <td>{statusLabel[row.status] ?? row.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollingTable>
      )}
      <Pagination page={page} totalPages={totalPages} href={(p) => `/admin/mail?page=${p}`} />
    </Layout>
  );
}

/** Plain text with its web addresses turned into links (escaped by JSX, no raw HTML). */
function LinkedText({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre class="mail-text">
      {parts.map((part) => (/^https?:\/\//.test(part) ? <a href={part}>{part}</a> : part))}
    </pre>
  );
}

function MailMessage({ row, text, kinds }: { row: MailRow; text: string | null; kinds: MailKinds }) {
  return (
    <Layout title={row.subject} breadcrumbs={[{ href: '/admin/mail', label: 'Outgoing mail' }]} wide>
      <h1>{row.subject}</h1>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>To</dt>
          <dd>{row.to_address}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Kind</dt>
          <dd>{kindLabel(kinds, row.kind)}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Status</dt>
          <dd>
            {statusLabel[row.status] ?? row.status}
            {row.last_error ? ` – ${row.last_error}` : ''}
          </dd>
        </div>
        <div class="summary-list__row">
          <dt>Created</dt>
          <dd>{formatLondon(row.created_at)}</dd>
        </div>
      </dl>
      {text === null ? (
        <p>An SMTP server is set up, so the message itself is not shown here: it may hold someone’s sign-in or password reset link.</p>
      ) : (
        <>
          <h2>Text version</h2>
          <LinkedText text={text} />
          <h2>HTML version</h2>
          <iframe class="mail-preview" title="HTML version of the message" src={`/admin/mail/${row.id}/html`} sandbox="" />
        </>
      )}
    </Layout>
  );
}

const mailListQuery = z.object({ page: queryText() });
const messageParams = z.object({ id: z.string().regex(/^\d{1,9}$/, { message: 'Enter a message id' }).transform(Number) });

/**
 * The admin mail viewer: where a local install's mail goes when no SMTP server is set up. With
 * one set up it shows only what was sent to whom and when: the messages carry other people's
 * sign-in, reset and invitation links, which are theirs alone.
 */
export function registerMailViewer(app: FastifyInstance, db: Db, smtpConfigured: boolean, kinds: MailKinds) {
  const admin = { preHandler: requireRole('admin') };

  app.get('/admin/mail', admin, async (request, reply) => {
    const page = pageFrom(parseRequest(mailListQuery, request.query));
    const { rows, total } = await listOutboundEmails(db, page, PER_PAGE);
    return reply.render(<MailList rows={rows} page={page} totalPages={pageCount(total, PER_PAGE)} smtpConfigured={smtpConfigured} kinds={kinds} />);
  });

  app.get('/admin/mail/:id', admin, async (request, reply) => {
    const { id } = parseParams(messageParams, request.params, 'message');
    const row = await findOutboundEmail(db, id);
    if (!row) throw notFound('message');
    return reply.render(<MailMessage row={row} text={smtpConfigured ? null : row.text_body} kinds={kinds} />);
  });

  // The message's own HTML, shown in a sandboxed frame: no scripts, no same-origin access.
  app.get('/admin/mail/:id/html', admin, async (request, reply) => {
    const { id } = parseParams(messageParams, request.params, 'message');
    if (smtpConfigured) throw notFound('message');
    const html = await findOutboundEmailHtml(db, id);
    if (html === undefined) throw notFound('message');
    return reply
      .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self' data: https:; style-src 'unsafe-inline'; frame-ancestors 'self'")
      .type('text/html; charset=utf-8')
      .send(html);
  });
}
