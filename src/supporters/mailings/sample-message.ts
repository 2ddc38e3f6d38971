import type { AppContext, Q } from '../tables.ts';
import { canonicalEmail } from '../../petitions/index.ts';
import { recordAudit, type OutgoingMessage, type Viewer } from '../../platform/index.ts';
import { assertAudienceWithinReach, audienceOf, audienceQuery } from './audience.ts';
import { constituencyFacts } from './constituency-facts.ts';
import { buildMessage, deliver, fromLine, openTransport, personalDetails } from './deliver.ts';
import type { Outcome } from './smtp-outcome.ts';
import type { Mailing } from './store.ts';
import { compileMailing } from './template.tsx';

/**
 * Previews and test sends: the message as one person in the audience would get it, but with
 * plain (untracked) links and unsubscribe links that name nobody, so a click on a preview or a
 * test message never counts, and never unsubscribes the person it was shown as.
 */
const NOBODY = '00000000-0000-0000-0000-000000000000';

export interface SamplePerson {
  publicId: string;
  email: string;
  givenName: string | null;
  constituencyCode: string | null;
}

/** Someone the mailing would go to: the one with this email address, or else the first. */
export async function findSamplePerson(q: Q, mailing: Mailing, email?: string): Promise<SamplePerson | undefined> {
  await assertAudienceWithinReach(q, audienceOf(mailing));
  let query = audienceQuery(q, audienceOf(mailing)).select(['p.public_id', 'p.email', 'p.given_name', 'p.constituency_code']);
  if (email) query = query.where('p.canonical_email', '=', canonicalEmail(email));
  const row = await query.orderBy('p.id').limit(1).executeTakeFirst();
  return row && { publicId: row.public_id, email: row.email!, givenName: row.given_name, constituencyCode: row.constituency_code };
}

export async function sampleMessage(ctx: AppContext, mailing: Mailing, person: SamplePerson | undefined, to: string): Promise<OutgoingMessage> {
  const brand = await ctx.brand.get();
  const compiled = compileMailing(brand, ctx.config.BASE_URL, { subject: mailing.subject, body: mailing.body, senderName: mailing.groupName ?? brand.name });
  const code = person?.constituencyCode ?? null;
  const facts = code ? (await constituencyFacts(ctx.db, [code])).get(code) : undefined;
  return buildMessage(ctx, compiled, fromLine(ctx.config.MAIL_FROM, mailing.groupName ?? brand.name), {
    to,
    details: personalDetails(person?.givenName ?? null, facts),
    grant: { personPublicId: NOBODY, purposeId: mailing.purposeId, mailingId: mailing.id },
    linkUrl: (i) => compiled.links[i]!,
  });
}

/** Sends one test message now, as `person` would get it; audited. */
export async function sendTestMessage(
  ctx: AppContext,
  props: { mailing: Mailing; to: string; person: SamplePerson | undefined; actor: Viewer },
): Promise<Outcome> {
  const message = await sampleMessage(ctx, props.mailing, props.person, props.to);
  const transport = openTransport(ctx);
  let outcome: Outcome | undefined;
  try {
    [outcome] = await deliver(ctx.db, transport, 'supporters.mailing.test', [{ ...message, subject: `[Test] ${message.subject}` }]);
  } finally {
    transport?.close();
  }
  await recordAudit(ctx.db, {
    actor: props.actor,
    action: 'mailing.test-send',
    subjectType: 'mailing',
    subjectId: props.mailing.id,
    after: { to: props.to, sent: outcome!.status === 'sent' },
  });
  return outcome!;
}
