import { z } from 'zod';
import { addJob, defineJob } from '../../platform/index.ts';
import type { Q } from '../tables.ts';
import { sendMailing } from './send-mailing.ts';

/**
 * Sends one mailing. A graceful shutdown aborts it between waves; the watchdog ticker queues it
 * again (in any worker) whenever a mailing is being sent and nobody holds its lock.
 */
export const sendMailingJob = defineJob(
  'supporters.mailings.send',
  z.object({ mailingId: z.number().int().positive() }),
  async ({ mailingId }, ctx, helpers) => {
    await sendMailing(ctx, mailingId, helpers.abortSignal);
  },
  { maxAttempts: 10 },
);

export async function queueMailingSender(q: Q, mailingId: number): Promise<void> {
  await addJob(q, sendMailingJob, { mailingId }, { jobKey: `supporters.mailings.send:${mailingId}` });
}
