import { z } from 'zod';
import { andList, conflict, emailAddress, queueEmail, recordAudit, requiredText, roleLabel, type Brand, type Viewer } from '../platform/index.ts';
import type { Q, Role } from './tables.ts';
import { assertGroupsExist, groupNamesOf } from './groups.ts';
import { createOrganiser, issueOrganiserToken, roles, type Organiser } from './organisers.ts';

/** An invitation's sign-in link works once, for a week. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/** Role radios and group checkboxes, shared by the invitation and the change-access forms. */
export const accessFields = {
  role: z.enum(roles as [Role, ...Role[]], { message: 'Choose a role' }),
  groups: z
    .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
    .refine((ids) => ids.every((id) => /^[1-9][0-9]{0,9}$/.test(id)), { message: 'Choose groups from the list' })
    .transform((ids) => [...new Set(ids.map(Number))]),
};

export const inviteSchema = z.object({
  name: requiredText('their name', 120),
  email: emailAddress('their email address'),
  ...accessFields,
});

export type InviteInput = z.output<typeof inviteSchema>;

interface MailSetting {
  brand: Brand;
  baseUrl: string;
}

async function sendInvitation(q: Q, organiser: { id: number; email: string; role: Role; groupIds: number[] }, actor: Viewer, mail: MailSetting): Promise<void> {
  // A fresh invitation replaces any unused one, so only the newest link works.
  await q.deleteFrom('organiser_tokens').where('organiser_id', '=', organiser.id).where('purpose', '=', 'sign-in').where('used_at', 'is', null).execute();
  const token = await issueOrganiserToken(q, organiser.id, 'sign-in', INVITATION_TTL_MS);
  const { brand, baseUrl } = mail;
  const names = await groupNamesOf(q, organiser.groupIds);
  const groups = organiser.groupIds.map((id) => names.get(id)).filter((name): name is string => name !== undefined);
  const forGroups = groups.length > 0 ? ` for ${andList(groups)}` : '';
  await queueEmail(q, {
    kind: 'organiser.invitation',
    to: organiser.email,
    brand,
    baseUrl,
    // The link is stored only until sent; the message goes a day after the link stops working.
    secrets: [token],
    keepDays: INVITATION_TTL_MS / 86_400_000 + 1,
    content: {
      subject: `You are invited to ${brand.name}${forGroups}`,
      heading: `Join ${brand.name}`,
      blocks: [
        { type: 'paragraph', text: `${actor.name} has invited you to ${brand.name} as a ${roleLabel(organiser.role)}${forGroups}.` },
        { type: 'button', href: `${baseUrl}/sign-in/link/${token}`, label: 'Sign in and choose a password' },
        { type: 'small', text: 'The link works once, for 7 days. If you were not expecting this, you can ignore this email.' },
      ],
    },
  });
}

/** Adds an organiser account and emails them a one-time sign-in link; they choose a password on first use. */
export async function inviteOrganiser(q: Q, props: { actor: Viewer; input: InviteInput } & MailSetting): Promise<number> {
  const { input, actor } = props;
  await assertGroupsExist(q, 'groups', input.groups);
  const id = await createOrganiser(q, { email: input.email, name: input.name, role: input.role, groupIds: input.groups, actor });
  await sendInvitation(q, { id, email: input.email, role: input.role, groupIds: input.groups }, actor, props);
  return id;
}

/** Sends a new invitation link to someone who has not yet chosen a password. */
export async function resendInvitation(q: Q, props: { actor: Viewer; organiser: Organiser } & MailSetting): Promise<void> {
  const { organiser } = props;
  if (organiser.disabled) throw conflict('This account is disabled. Enable it before sending an invitation.');
  if (organiser.hasPassword) {
    throw conflict(`${organiser.name} has already signed in and chosen a password. If they have forgotten it, they can reset it from the sign-in page.`);
  }
  await sendInvitation(q, organiser, props.actor, props);
  await recordAudit(q, { actor: props.actor, action: 'organiser.invitation.resend', subjectType: 'organiser', subjectId: organiser.id, after: { email: organiser.email } });
}
