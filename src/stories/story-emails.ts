import type { Brand } from '../platform/index.ts';
import { queueEmail, type Handle } from '../platform/index.ts';
import { storyLinks } from './story-tokens.ts';

/**
 * Story emails. None holds the story or anything sealed (the outbox keeps message bodies in plain
 * text): a greeting by first name, and links. Every one carries the one-click withdrawal link.
 */
interface Mail {
  to: string;
  brand: Brand;
  baseUrl: string;
}

const withdrawBlocks = (links: ReturnType<typeof storyLinks>, manageToken: string) => [
  { type: 'paragraph' as const, text: 'You can change your mind at any time. Withdrawing stops every use of your story at once.' },
  { type: 'link' as const, href: links.withdraw(manageToken), label: 'Withdraw my story' },
  { type: 'link' as const, href: links.mine(manageToken), label: 'See my story and consents' },
];

const firstName = (name: string) => name.split(' ')[0] ?? name;

export async function queueConfirmationEmail(q: Handle, mail: Mail & { name: string; confirmToken: string; manageToken: string; under18: boolean }) {
  const links = storyLinks(mail.baseUrl);
  await queueEmail(q, {
    kind: 'stories.story.confirm',
    to: mail.to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    secrets: [mail.confirmToken, mail.manageToken],
    content: {
      subject: 'Please confirm your story',
      heading: `Thank you, ${firstName(mail.name)}`,
      blocks: [
        { type: 'paragraph' as const, text: 'Thank you for telling us your story. Nothing is used until you confirm that this is your email address and that you agree to what you chose.' },
        ...(mail.under18 ? [{ type: 'paragraph' as const, text: 'Because you are under 18, we have also asked your parent or guardian to agree. Your story is used only when you have both agreed.' }] : []),
        { type: 'button' as const, href: links.confirm(mail.confirmToken), label: 'Confirm my story' },
        { type: 'small' as const, text: 'If you did not tell us a story, ignore this email: nothing will be used, and what was sent will be deleted.' },
        ...withdrawBlocks(links, mail.manageToken),
      ],
    },
  });
}

export async function queueGuardianEmail(q: Handle, mail: Mail & { guardianName: string; youngPerson: string; guardianToken: string }) {
  const links = storyLinks(mail.baseUrl);
  await queueEmail(q, {
    kind: 'stories.guardian.consent',
    to: mail.to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    secrets: [mail.guardianToken],
    content: {
      subject: `${firstName(mail.youngPerson)} would like to share their NHS story`,
      heading: `Dear ${mail.guardianName}`,
      blocks: [
        { type: 'paragraph' as const, text: `${mail.youngPerson} has told ${mail.brand.name} a story about their NHS care and gave your name as their parent or guardian. Because they are under 18, we use their story only if you agree as well.` },
        { type: 'button' as const, href: links.guardian(mail.guardianToken), label: 'Read the story and decide' },
        { type: 'small' as const, text: 'If you do not agree, or do not know what this is about, do nothing: the story will not be used.' },
      ],
    },
  });
}

export async function queueRenewalReminder(q: Handle, mail: Mail & { name: string; manageToken: string; expiresOn: string }) {
  const links = storyLinks(mail.baseUrl);
  await queueEmail(q, {
    kind: 'stories.consent.reminder',
    to: mail.to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    secrets: [mail.manageToken],
    content: {
      subject: 'May we keep using your story?',
      heading: `Hello ${firstName(mail.name)}`,
      blocks: [
        { type: 'paragraph' as const, text: `You agreed a year ago that we may use your NHS story. That agreement ends on ${mail.expiresOn}. After that we stop using your story, unless you renew it.` },
        { type: 'button' as const, href: links.renew(mail.manageToken), label: 'Renew for another 12 months' },
        { type: 'paragraph' as const, text: 'If you do nothing, your story stops being used on that day and is deleted later.' },
        ...withdrawBlocks(links, mail.manageToken),
      ],
    },
  });
}

export async function queueWithdrawnEmail(q: Handle, mail: Mail & { name: string }) {
  await queueEmail(q, {
    kind: 'stories.story.withdrawn',
    to: mail.to,
    brand: mail.brand,
    baseUrl: mail.baseUrl,
    content: {
      subject: 'Your story is withdrawn',
      heading: `Hello ${firstName(mail.name)}`,
      blocks: [
        { type: 'paragraph' as const, text: 'You withdrew your story. We have stopped using it everywhere, at once, and will delete it.' },
        { type: 'paragraph' as const, text: 'Copies already printed (leaflets, newspapers) cannot be recalled.' },
      ],
    },
  });
}
