import { queueEmail, type Brand, type Handle } from '../../platform/index.ts';

/**
 * Moderation emails. Like every story email they carry no story text (the outbox keeps bodies in
 * plain text): links only, the token kept apart as a secret.
 */
export const approvalLink = (baseUrl: string, token: string) => `${baseUrl}/stories/approve/${token}`;

export async function queueApprovalEmail(q: Handle, mail: { to: string; name: string; token: string; brand: Brand; baseUrl: string }) {
  await queueEmail(q, {
    kind: 'stories.published.approval',
    to: mail.to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    secrets: [mail.token],
    content: {
      subject: 'Please check your story before we publish it',
      heading: `Hello ${mail.name.split(' ')[0] ?? mail.name}`,
      blocks: [
        { type: 'paragraph' as const, text: `We have written the version of your story that ${mail.brand.name} would publish on its website, with names, exact dates and other details that could identify someone taken out.` },
        { type: 'paragraph' as const, text: 'Nothing is published until you approve it. You can also ask us to change it.' },
        { type: 'button' as const, href: approvalLink(mail.baseUrl, mail.token), label: 'Read it and decide' },
      ],
    },
  });
}

export async function queueSafeguardingEmail(q: Handle, mail: { to: string; storyId: number; reason: string; flaggedBy: string; brand: Brand; baseUrl: string }) {
  await queueEmail(q, {
    kind: 'stories.safeguarding.flag',
    to: mail.to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    content: {
      subject: `Safeguarding: story ${mail.storyId} needs you`,
      heading: 'A story was flagged for safeguarding',
      blocks: [
        { type: 'paragraph' as const, text: `${mail.flaggedBy} flagged story ${mail.storyId}: ${mail.reason}.` },
        { type: 'paragraph' as const, text: 'It is hidden from everyone else (the queue, the public pages and exports) until you act on it.' },
        { type: 'button' as const, href: `${mail.baseUrl}/admin/stories/${mail.storyId}/moderate`, label: 'Open the story' },
      ],
    },
  });
}
