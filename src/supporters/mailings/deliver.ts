import type { AppContext, Q } from '../tables.ts';
import { keepForViewer, type OutgoingMessage } from '../../platform/index.ts';
import { preferencesUrl, unsubscribeHeaders, unsubscribeUrl, type UnsubscribeGrant } from '../subscriber-tokens.ts';
import type { ConstituencyFacts } from './constituency-facts.ts';
import type { PersonalDetails } from './placeholders.ts';
import { createBulkTransport, type BulkTransport } from './bulk-transport.ts';
import { outcomeOf, type Outcome } from './smtp-outcome.ts';
import { personalise, type CompiledMailing } from './template.tsx';

/** The From line: the group's (or the coalition's) name with the hub's own sending address. */
export function fromLine(mailFrom: string, name: string): string {
  const address = /<([^<>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  const clean = name.replace(/["\\\r\n<>]/g, '').trim();
  return clean ? `"${clean}" <${address}>` : address;
}

export function personalDetails(givenName: string | null, facts: ConstituencyFacts | undefined): PersonalDetails {
  return { first_name: givenName, constituency: facts?.name, mp: facts?.mp };
}

export interface MessageFor {
  to: string;
  details: PersonalDetails;
  grant: UnsubscribeGrant;
  linkUrl(index: number): string;
}

/** One person's message with its RFC 8058 one-click unsubscribe headers. */
export function buildMessage(ctx: AppContext, compiled: CompiledMailing, from: string, m: MessageFor): OutgoingMessage {
  const base = ctx.config.BASE_URL;
  const personal = personalise(compiled, {
    details: m.details,
    linkUrl: m.linkUrl,
    unsubscribeUrl: unsubscribeUrl(base, ctx.secret, m.grant),
    preferencesUrl: preferencesUrl(base, ctx.secret, m.grant.personPublicId),
  });
  return { from, to: m.to, ...personal, headers: unsubscribeHeaders(base, ctx.secret, m.grant) };
}

/** The transport for a sending run: undefined when no SMTP server is set up (mail is kept instead). */
export function openTransport(ctx: AppContext): BulkTransport | undefined {
  return ctx.mailer.configured && ctx.config.SMTP_URL ? createBulkTransport(ctx.config.SMTP_URL) : undefined;
}

/**
 * Sends messages over the pooled SMTP transport, each resolving to its outcome (never throwing).
 * With no SMTP server set up, they are kept for the admin mail viewer instead, as all mail is.
 */
export async function deliver(q: Q, transport: BulkTransport | undefined, kind: string, messages: OutgoingMessage[]): Promise<Outcome[]> {
  if (!transport) {
    await keepForViewer(q, kind, messages);
    return messages.map(() => ({ status: 'sent' }));
  }
  return Promise.all(
    messages.map((m) =>
      transport.send(m).then(
        (): Outcome => ({ status: 'sent' }),
        (error: unknown) => outcomeOf(error),
      ),
    ),
  );
}
