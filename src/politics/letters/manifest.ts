import type { ActionEntry, CronEntry, JobDefinition, PersonActivity } from '../../platform/index.ts';
import type { PersonalDataProvider } from '../../platform/capability.ts';
import { CONFIRMATION_KIND } from './confirmation-email.ts';
import { deliverLetter, TO_MP_KIND } from './deliver-letter.ts';
import { letterPersonalData } from './personal-data.ts';
import { QUESTIONNAIRE_KIND, sendQuestionnaire, sweepQuestionnaires } from './questionnaire.ts';
import { deleteOldLetterBodies } from './retention.ts';

/** What letters to MPs adds to politics' manifest (src/politics/capability.ts). */
export const letterJobs = [deliverLetter, sendQuestionnaire, sweepQuestionnaires, deleteOldLetterBodies] as JobDefinition<unknown>[];
export const letterCron: CronEntry[] = [
  { job: sweepQuestionnaires as JobDefinition<unknown>, match: '23 * * * *' },
  { job: deleteOldLetterBodies as JobDefinition<unknown>, match: '41 3 * * *' },
];
export const letterMailKinds: Record<string, string> = {
  [CONFIRMATION_KIND]: 'Letter to an MP: confirm your email',
  [TO_MP_KIND]: 'Letter to an MP (from a constituent)',
  [QUESTIONNAIRE_KIND]: 'Letter to an MP: did they reply?',
};
export const letterPersonalDataProviders: PersonalDataProvider[] = [letterPersonalData];
export const letterTables = { letter_campaigns: 'none', letters: 'supporter', mp_contacts: 'none' } as const;

const campaign = (entry: ActionEntry) => (typeof entry.detail.campaign === 'string' ? `“${entry.detail.campaign}”` : 'a letter campaign');
const recipients = (entry: ActionEntry) => (Array.isArray(entry.detail.to) ? entry.detail.to.filter((n): n is string => typeof n === 'string').join(', ') : '');

/** Writers' timeline entries in words. */
export const letterActivity: PersonActivity = {
  actions: {
    'letter.written': { label: 'Wrote to their MP', sentence: (entry) => `Wrote to ${recipients(entry) || 'their MP'} for ${campaign(entry)}` },
    'letter.confirmed': { label: 'Confirmed a letter to their MP', sentence: (entry) => `Confirmed their letter for ${campaign(entry)}` },
  },
};
