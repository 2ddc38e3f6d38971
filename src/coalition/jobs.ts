import { z } from 'zod';
import { defineJob, type CronEntry } from '../platform/index.ts';
import { deleteOldSignInFailures } from './organisers.ts';
import { sendPasswordResetEmail } from './reset-password.ts';
import { deleteExpiredSessions } from './sessions.ts';
import { coalitionQ } from './tables.ts';

/** Hourly: forget expired sessions, old failed sign-ins and addresses not signed in from for 90 days (least data kept). */
export const sweepExpiredSessions = defineJob('coalition.sessions.sweep', z.object({}).passthrough(), async (_payload, ctx) => {
  await deleteExpiredSessions(ctx.db);
  await deleteOldSignInFailures(ctx.db);
  await coalitionQ(ctx.db).deleteFrom('organiser_sign_in_addresses').where('last_at', '<', new Date(Date.now() - 90 * 24 * 3600 * 1000)).execute();
  await coalitionQ(ctx.db).deleteFrom('organiser_tokens').where('expires_at', '<', new Date(Date.now() - 24 * 3600 * 1000)).execute();
});

export const coalitionJobs = [sweepExpiredSessions, sendPasswordResetEmail];
export const coalitionCron: CronEntry[] = [{ job: sweepExpiredSessions, match: '17 * * * *' }];
