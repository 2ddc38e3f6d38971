import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { auditActions, insertGroup, insertPetition } from './admin/test-support.ts';
import { addMonths, londonToday } from './closing-date.ts';
import { findPetition } from './store.ts';

let t: TestApp;
let groupId: number;
let organiser: Agent;
let moderator: Agent;

const outcome = {
  response_date: '2026-10-01',
  response_summary: 'The ICB says the unit will stay open until at least 2028.',
  response_details: 'Full letter from the chief executive...',
  hand_in_date: '2026-09-15',
  hand_in_place: 'ICB headquarters, Ashworth',
  hand_in_link: 'https://video.example/hand-in',
  debate_date: '2026-11-20',
  debate_links: 'https://council.example/minutes/42\r\nhttps://council.example/webcast/42',
  debate_outcome: 'The council voted to oppose the closure.',
};

beforeAll(async () => {
  t = await createTestApp();
  groupId = await insertGroup(t.ctx.db, 'Ashworth Maternity Voices');
  ({ agent: organiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupId] }));
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
});
afterAll(() => t.close());

describe('recording what happened next', () => {
  it('stores the response, hand-in and debate, which findPetition returns, and audits it', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupId], state: 'closed' });
    await organiser.get(`/admin/petitions/${id}/outcomes`);
    const response = await organiser.post(`/admin/petitions/${id}/outcomes`, outcome);
    expect(response.statusCode).toBe(303);
    const petition = (await findPetition(t.ctx.db, id))!;
    expect(petition.response).toEqual({ date: '2026-10-01', summary: outcome.response_summary, details: outcome.response_details });
    expect(petition.handIn).toEqual({ date: '2026-09-15', place: 'ICB headquarters, Ashworth', link: 'https://video.example/hand-in' });
    expect(petition.debate).toEqual({
      date: '2026-11-20',
      links: ['https://council.example/minutes/42', 'https://council.example/webcast/42'],
      outcome: 'The council voted to oppose the closure.',
    });
    expect(await auditActions(t.ctx.db, id)).toEqual(['petition.outcomes.update']);
    const overview = await organiser.get(`/admin/petitions/${id}`);
    expect(overview.body).toContain('What happened next');
    expect(overview.body).toContain('The council voted to oppose the closure.');

    // The form shows what is recorded, and emptying it clears it.
    const form = await organiser.get(`/admin/petitions/${id}/outcomes`);
    expect(form.body).toContain('value="ICB headquarters, Ashworth"');
    await organiser.post(`/admin/petitions/${id}/outcomes`, {});
    expect(await findPetition(t.ctx.db, id)).toMatchObject({ response: null, handIn: null, debate: null });
  });

  it.each([
    [{ response_summary: '', response_details: 'Details but no summary' }, 'response_summary', 'Enter a summary of the response'],
    [{ response_date: addMonths(londonToday(), 1) }, 'response_date', 'The response date must be today or in the past'],
    [{ hand_in_link: 'javascript:alert(1)' }, 'hand_in_link', 'Enter the photo or video link as a full address'],
    [{ hand_in_date: '', hand_in_place: '' }, 'hand_in_date', 'Enter the date or place of the hand-in'],
    [{ debate_links: 'https://ok.example\nnot a link' }, 'debate_links', 'Enter each link as a full address'],
    [{ debate_date: '2026-13-01' }, 'debate_date', 'Enter the debate or meeting date as a real date'],
  ])('refuses %j with the field named and the values kept', async (change, field, message) => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupId], state: 'open' });
    await organiser.get(`/admin/petitions/${id}/outcomes`);
    const response = await organiser.post(`/admin/petitions/${id}/outcomes`, { ...outcome, ...change });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(`href="#field-${field}"`);
    expect(response.body).toContain(message);
    expect(response.body).toContain('The council voted to oppose the closure.');
    expect((await findPetition(t.ctx.db, id))!.response).toBeNull();
  });

  it('is not for drafts, nor for moderators', async () => {
    const draft = await insertPetition(t.ctx.db, { groupIds: [groupId], state: 'draft' });
    expect((await organiser.get(`/admin/petitions/${draft}/outcomes`)).statusCode).toBe(409);
    const open = await insertPetition(t.ctx.db, { groupIds: [groupId], state: 'open' });
    expect((await moderator.get(`/admin/petitions/${open}/outcomes`)).statusCode).toBe(403);
  });
});
