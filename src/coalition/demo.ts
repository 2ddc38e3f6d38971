import { recordAudit } from '../platform/index.ts';
import type { Tx } from './tables.ts';
import { writeBrand } from './brand.ts';
import { createOrganiser, issueOrganiserToken } from './organisers.ts';

export const demoAdminEmail = 'admin@chorus.example';

const demoGroups = [
  {
    slug: 'health-campaigns-together',
    name: 'Health Campaigns Together',
    description:
      'An alliance of campaigns, trade unions and pensioners’ groups that brings local fights for hospitals and services together.\n\nWe publish a quarterly newspaper and hold national conferences.',
    website: 'https://healthcampaignstogether.example',
    contact_email: 'info@healthcampaignstogether.example',
  },
  {
    slug: 'keep-our-nhs-public',
    name: 'Keep Our NHS Public',
    description: 'A campaign of health workers, patients and residents against the privatisation of the NHS, with local groups across England.',
    website: 'https://keepournhspublic.example',
    contact_email: 'hello@keepournhspublic.example',
  },
  {
    slug: 'just-treatment',
    name: 'Just Treatment',
    description: 'A patient-led campaign for fair access to medicines and a health service run for people, not profit.',
    website: 'https://justtreatment.example',
    contact_email: 'team@justtreatment.example',
  },
  {
    slug: 'save-aberdeen-maternity',
    name: 'Save Aberdeen Maternity',
    description: 'Parents, midwives and neighbours campaigning to keep a full maternity service at our local hospital.',
    website: null,
    contact_email: 'save.maternity@example.org',
  },
  {
    slug: 'hendon-save-our-nhs',
    name: 'Hendon Save Our NHS',
    description: 'A local group in north London defending GP surgeries, mental health beds and community services.',
    website: null,
    contact_email: null,
  },
];

export interface CoalitionDemo {
  adminEmail: string;
  /** One-time sign-in link token for the demo admin. */
  signInToken: string;
  groupIds: Record<string, number>;
}

/** The demo coalition: brand, member groups and a coalition admin (signs in with a one-time link). */
export async function loadCoalitionDemo(tx: Tx): Promise<CoalitionDemo> {
  await writeBrand(tx, {
    name: 'NHS Together Coalition',
    tagline: 'Health campaigns, unions and patients standing up for a public NHS.',
    logoUrl: null,
    primaryColour: '#005eb8',
    primaryTextColour: '#ffffff',
    accentColour: '#ffb81c',
  });
  const groupIds: Record<string, number> = {};
  for (const group of demoGroups) {
    const row = await tx.insertInto('groups').values(group).returning('id').executeTakeFirstOrThrow();
    groupIds[group.slug] = row.id;
    await recordAudit(tx, { actor: 'demo', action: 'group.create', subjectType: 'group', subjectId: row.id, after: group });
  }
  const adminId = await createOrganiser(tx, { email: demoAdminEmail, name: 'Demo Admin', role: 'admin', actor: 'demo' });
  await createOrganiser(tx, {
    email: 'organiser@chorus.example',
    name: 'Sam Organiser',
    role: 'organiser',
    groupIds: [groupIds['keep-our-nhs-public']!],
    actor: 'demo',
  });
  await createOrganiser(tx, { email: 'moderator@chorus.example', name: 'Mo Moderator', role: 'moderator', actor: 'demo' });
  const signInToken = await issueOrganiserToken(tx, adminId, 'sign-in', 7 * 24 * 3600 * 1000);
  return { adminEmail: demoAdminEmail, signInToken, groupIds };
}
