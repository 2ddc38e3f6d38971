import type { PlatformDb as Db } from '../db/view.ts';
import { withSecrets } from './outbox.ts';

/** One page of the mail viewer, newest first, with how many messages there are in all. */
export async function listOutboundEmails(db: Db, page: number, perPage: number) {
  const total = await db.selectFrom('outbound_emails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('outbound_emails')
    .select(['id', 'kind', 'to_address', 'subject', 'status', 'created_at', 'sent_at', 'last_error'])
    .orderBy('id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  return { rows, total: Number(total.n) };
}

/** One message, as the mail viewer shows it: its links whole while kept unsent, removed once sent. */
export async function findOutboundEmail(db: Db, id: number) {
  const row = await db
    .selectFrom('outbound_emails')
    .select(['id', 'kind', 'to_address', 'subject', 'status', 'created_at', 'sent_at', 'last_error', 'text_body', 'secrets'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { ...row, text_body: withSecrets(row.text_body, row.secrets) };
}

/** Only a message's HTML body, for the viewer's sandboxed frame. */
export async function findOutboundEmailHtml(db: Db, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('outbound_emails').select(['html_body', 'secrets']).where('id', '=', id).executeTakeFirst();
  return row && withSecrets(row.html_body, row.secrets);
}
