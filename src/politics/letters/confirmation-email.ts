import type { AppContext as AnyAppContext } from '../../context.ts';
import { andList, formatCalendarDate, queueEmail } from '../../platform/index.ts';
import type { Tx } from '../tables.ts';
import type { LetterCampaign } from './campaigns.ts';
import type { Mp } from './store.ts';
import { confirmPath, letterPath } from './tokens.ts';

export const CONFIRMATION_KIND = 'politics.letters.confirmation';

/** "Confirm your email": the letter goes only once its writer has shown they read this mailbox (double opt-in). */
export async function queueConfirmationEmail(ctx: AnyAppContext<Record<never, never>>, tx: Tx, props: { publicId: string; to: string; name: string; campaign: LetterCampaign; mps: Mp[] }): Promise<void> {
  const base = ctx.config.BASE_URL;
  const confirm = `${base}${confirmPath(ctx.secret, props.publicId)}`;
  const mine = `${base}${letterPath(ctx.secret, props.publicId)}`;
  await queueEmail(tx, {
    kind: CONFIRMATION_KIND,
    to: props.to,
    brand: ctx.brand.current(),
    baseUrl: base,
    content: {
      subject: `Confirm your letter to ${andList(props.mps.map((m) => m.name))}`,
      heading: 'Confirm your email address',
      blocks: [
        { type: 'paragraph', text: `Thank you, ${props.name}, for writing to ${andList(props.mps.map((m) => `${m.name} MP`))} for “${props.campaign.title}”.` },
        { type: 'paragraph', text: 'Your letter goes only once you confirm this is your email address: your MP will reply to it.' },
        { type: 'button', href: confirm, label: 'Confirm and send my letter' },
        { type: 'link', href: mine, label: 'See or change your letter' },
        { type: 'small', text: `Letters for this campaign are taken until ${formatCalendarDate(props.campaign.deadline)}. If you did not write this letter, ignore this email: nothing will be sent.` },
      ],
    },
    secrets: [confirm, mine],
    keepDays: 30,
  });
}
