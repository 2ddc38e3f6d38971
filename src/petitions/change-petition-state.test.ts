import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import type { Viewer } from '../platform/web/context.ts';
import { auditActions, insertGroup, insertPetition } from './admin/test-support.ts';
import { addMonths, defaultClosingDate, londonToday } from './closing-date.ts';
import { findPetition } from './store.ts';
import { updatePetition } from './update-petition.ts';

let t: TestApp;
let groupA: number;
let groupB: number;
let organiser: Agent;
let organiserViewer: Viewer;
let otherOrganiser: Agent;
let moderator: Agent;
let admin: Agent;

const draftFields = (groupId: number, action: string) => ({
  groups: String(groupId),
  action,
  background: 'Our GP surgery is due to close in the spring.',
  target: 'North Ashworth Primary Care Network',
  response_threshold: '10000',
  debate_threshold: '100000',
});

async function startDraft(action: string): Promise<number> {
  await organiser.get('/admin/petitions/new');
  const response = await organiser.post('/admin/petitions/new', draftFields(groupA, action));
  expect(response.statusCode).toBe(303);
  return Number(/\/admin\/petitions\/(\d+)/.exec(String(response.headers.location))![1]);
}

/** Posts one of the overview's buttons, as the page would. */
async function press(agent: Agent, id: number, action: string, fields: Record<string, string> = {}) {
  await agent.get(`/admin/petitions/${id}`);
  return agent.post(`/admin/petitions/${id}/${action}`, fields);
}

async function auditEntry(id: number, action: string) {
  return t.ctx.db.selectFrom('audit_log').selectAll().where('subject_id', '=', String(id)).where('action', '=', action).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestApp();
  groupA = await insertGroup(t.ctx.db, 'Ashworth Save Our Surgery');
  groupB = await insertGroup(t.ctx.db, 'Brockley Health Watch');
  const o = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA], name: 'Olu Organiser' });
  organiser = o.agent;
  organiserViewer = { id: o.id, name: 'Olu Organiser', email: o.email, role: 'organiser' };
  ({ agent: otherOrganiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupB] }));
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
  ({ agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' }));
});
afterAll(() => t.close());

describe('a petition’s lifecycle', () => {
  it('goes from draft to awaiting moderation to open to closed, stamping each step and auditing it', async () => {
    const id = await startDraft('Keep Ashworth Road surgery open');

    expect((await press(organiser, id, 'submit')).headers.location).toBe(`/admin/petitions/${id}`);
    const submitted = (await findPetition(t.ctx.db, id))!;
    expect(submitted.state).toBe('awaiting_moderation');
    expect(submitted.submittedAt).toBeInstanceOf(Date);

    // Organisers cannot approve their own petition.
    expect((await press(organiser, id, 'approve')).statusCode).toBe(403);

    const approved = await press(moderator, id, 'approve');
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe('/admin/moderation');
    const open = (await findPetition(t.ctx.db, id))!;
    expect(open.state).toBe('open');
    expect(open.openedAt).toBeInstanceOf(Date);
    expect(open.closingDate).toBe(defaultClosingDate());

    expect((await press(organiser, id, 'close')).statusCode).toBe(303);
    const closed = (await findPetition(t.ctx.db, id))!;
    expect(closed.state).toBe('closed');
    expect(closed.closedAt).toBeInstanceOf(Date);

    expect(await auditActions(t.ctx.db, id)).toEqual(['petition.create', 'petition.submit', 'petition.approve', 'petition.close']);
    const approval = await auditEntry(id, 'petition.approve');
    expect(approval.before).toMatchObject({ state: 'awaiting_moderation', closingDate: null });
    expect(approval.after).toMatchObject({ state: 'open', closingDate: defaultClosingDate() });
    expect(approval.actor_label).toContain('moderator');
  });

  it('refuses a move the state does not allow, with a 409', async () => {
    const id = await startDraft('Fund the Ashworth mental health crisis team');
    const response = await press(moderator, id, 'approve');
    expect(response.statusCode).toBe(409);
    expect((await findPetition(t.ctx.db, id))!.state).toBe('draft');
  });

  it('keeps organisers of other groups out', async () => {
    const id = await startDraft('Restore the Ashworth walk-in centre');
    expect((await otherOrganiser.get(`/admin/petitions/${id}`)).statusCode).toBe(403);
    await otherOrganiser.get('/admin/petitions');
    expect((await otherOrganiser.post(`/admin/petitions/${id}/submit`, {})).statusCode).toBe(403);
    const list = await otherOrganiser.get('/admin/petitions');
    expect(list.body).not.toContain('Restore the Ashworth walk-in centre');
    expect((await organiser.get('/admin/petitions')).body).toContain('Restore the Ashworth walk-in centre');
  });

  it('rejects with a published reason and details, and an admin can reopen it', async () => {
    const id = await startDraft('Reopen the Ashworth minor injuries unit');
    await press(organiser, id, 'submit');

    await moderator.get(`/admin/petitions/${id}/reject`);
    const missing = await moderator.post(`/admin/petitions/${id}/reject`, { details: 'It duplicates petition 12.' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Choose why the petition is being rejected');
    expect(missing.body).toContain('It duplicates petition 12.');

    const rejected = await moderator.post(`/admin/petitions/${id}/reject`, { code: 'duplicate', details: 'Sign petition 12 instead.' });
    expect(rejected.headers.location).toBe('/admin/moderation');
    const petition = (await findPetition(t.ctx.db, id))!;
    expect(petition.state).toBe('rejected');
    expect(petition.rejection).toEqual({ code: 'duplicate', details: 'Sign petition 12 instead.' });
    expect(petition.rejectedAt).toBeInstanceOf(Date);

    // Moderators and organisers cannot reopen; admins can.
    expect((await press(moderator, id, 'reopen')).statusCode).toBe(403);
    expect((await press(organiser, id, 'reopen')).statusCode).toBe(403);
    expect((await press(admin, id, 'reopen')).headers.location).toBe(`/admin/petitions/${id}`);
    const reopened = (await findPetition(t.ctx.db, id))!;
    expect(reopened.state).toBe('open');
    expect(reopened.rejection).toBeNull();
    expect(reopened.closingDate).toBe(defaultClosingDate());
    const row = await t.ctx.db.selectFrom('petitions').select('reopened_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.reopened_at).toBeInstanceOf(Date);
    expect((await auditEntry(id, 'petition.reopen')).before).toMatchObject({ state: 'rejected', rejection: { code: 'duplicate' } });
  });

  it('asks for a new closing date to reopen a petition whose date has passed', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA], state: 'closed', closingDate: '2024-03-31', action: 'Save the Ashworth hospice beds' });
    const refused = await press(admin, id, 'reopen', { closing_date: '' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('href="#field-closing_date"');
    expect(refused.body).toContain('The closing date has passed');
    expect((await findPetition(t.ctx.db, id))!.state).toBe('closed');

    const newDate = addMonths(londonToday(), 2);
    expect((await press(admin, id, 'reopen', { closing_date: newDate })).statusCode).toBe(303);
    const reopened = (await findPetition(t.ctx.db, id))!;
    expect(reopened).toMatchObject({ state: 'open', closingDate: newDate, closedAt: null });
  });

  it('lets moderators hide a petition, stamping hidden_at', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA], state: 'open' });
    expect((await press(organiser, id, 'hide')).statusCode).toBe(403);
    expect((await press(moderator, id, 'hide')).statusCode).toBe(303);
    const hidden = (await findPetition(t.ctx.db, id))!;
    expect(hidden.state).toBe('hidden');
    expect(hidden.hiddenAt).toBeInstanceOf(Date);
    expect(await auditActions(t.ctx.db, id)).toEqual(['petition.hide']);
  });
});

describe('the moderation queue', () => {
  it('shows moderators and admins the waiting petitions, oldest first, and not organisers', async () => {
    const newer = await startDraft('Newer: protect Ashworth district nurses');
    const older = await startDraft('Older: keep the Ashworth stroke unit');
    await press(organiser, newer, 'submit');
    await press(organiser, older, 'submit');
    await t.ctx.db.updateTable('petitions').set({ submitted_at: new Date(Date.now() - 86_400_000) }).where('id', '=', older).execute();

    for (const agent of [moderator, admin]) {
      const queue = await agent.get('/admin/moderation');
      expect(queue.statusCode).toBe(200);
      const olderAt = queue.body.indexOf('Older: keep the Ashworth stroke unit');
      const newerAt = queue.body.indexOf('Newer: protect Ashworth district nurses');
      expect(olderAt).toBeGreaterThan(0);
      expect(newerAt).toBeGreaterThan(olderAt);
      expect(queue.body).toContain(`action="/admin/petitions/${older}/approve"`);
      expect(queue.body).toContain(`href="/admin/petitions/${older}/reject"`);
      expect(queue.body).toContain(`action="/admin/petitions/${older}/hide"`);
    }
    expect((await organiser.get('/admin/moderation')).statusCode).toBe(403);
    expect((await organiser.get('/admin/petitions')).body).not.toContain('href="/admin/moderation"');
  });
});

describe('editing', () => {
  it('changes everything while a draft', async () => {
    const id = await startDraft('Draft wording');
    await organiser.get(`/admin/petitions/${id}/edit`);
    const response = await organiser.post(`/admin/petitions/${id}/edit`, {
      ...draftFields(groupA, 'Better wording'),
      response_threshold: '5000',
      debate_threshold: '',
      custom_milestones: '20000 Meet the chief executive',
    });
    expect(response.statusCode).toBe(303);
    const petition = (await findPetition(t.ctx.db, id))!;
    expect(petition.action).toBe('Better wording');
    expect(petition.milestones.map((m) => [m.threshold, m.kind])).toEqual([
      [5000, 'response'],
      [20000, 'custom'],
    ]);
    expect((await auditEntry(id, 'petition.update')).before).toMatchObject({ action: 'Draft wording' });
  });

  it('keeps the wording once open, but changes closing date and milestones', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA], state: 'open', action: 'Signed wording' });
    const page = await organiser.get(`/admin/petitions/${id}/edit`);
    expect(page.body).toContain('The wording cannot change');
    expect(page.body).not.toContain('name="action"');
    const newDate = addMonths(londonToday(), 3);
    const response = await organiser.post(`/admin/petitions/${id}/edit`, {
      action: 'Sneaky new wording',
      closing_date: newDate,
      response_threshold: '10000',
      debate_threshold: '100000',
    });
    expect(response.statusCode).toBe(303);
    const petition = (await findPetition(t.ctx.db, id))!;
    expect(petition.action).toBe('Signed wording');
    expect(petition.closingDate).toBe(newDate);
    expect(petition.milestones.map((m) => m.threshold)).toEqual([10_000, 100_000]);

    // The rule itself refuses new wording for an open petition.
    await expect(
      t.ctx.db.transaction().execute((tx) =>
        updatePetition(tx, {
          actor: organiserViewer,
          petitionId: id,
          wording: { groupIds: [groupA], action: 'Changed', background: 'x', additionalDetails: '', target: 'y' },
          milestones: [],
        }),
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('marks a new milestone below the current count as reached, and keeps earlier crossings', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA], state: 'open' });
    await t.ctx.db.updateTable('petitions').set({ signature_count: 12_000 }).where('id', '=', id).execute();
    const reachedAt = new Date('2026-01-02T10:00:00Z');
    await t.ctx.db.insertInto('petition_milestones').values({ petition_id: id, threshold: 10_000, kind: 'response', label: 'Respond', reached_at: reachedAt }).execute();
    await organiser.get(`/admin/petitions/${id}/edit`);
    // The closing date already set (far off, as fixtures have it) may be sent back unchanged.
    const saved = await organiser.post(`/admin/petitions/${id}/edit`, {
      closing_date: '2099-01-01',
      response_threshold: '10000',
      debate_threshold: '100000',
      custom_milestones: '11000 Hand it in',
    });
    expect(saved.statusCode).toBe(303);
    const milestones = (await findPetition(t.ctx.db, id))!.milestones;
    expect(milestones.find((m) => m.threshold === 10_000)!.reachedAt).toEqual(reachedAt);
    expect(milestones.find((m) => m.threshold === 11_000)!.reachedAt).toBeInstanceOf(Date);
    expect(milestones.find((m) => m.threshold === 100_000)!.reachedAt).toBeNull();
  });
});

describe('under attack', () => {
  it('is switched by moderators and admins, not organisers, and audited', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA], state: 'open' });
    expect((await press(organiser, id, 'under-attack', { on: 'yes' })).statusCode).toBe(403);
    expect((await press(moderator, id, 'under-attack', { on: 'yes' })).headers.location).toBe(`/admin/petitions/${id}`);
    expect((await findPetition(t.ctx.db, id))!.underAttack).toBe(true);
    await press(admin, id, 'under-attack', { on: 'no' });
    expect((await findPetition(t.ctx.db, id))!.underAttack).toBe(false);
    expect(await auditActions(t.ctx.db, id)).toEqual(['petition.under-attack.on', 'petition.under-attack.off']);
  });
});

describe('closing a petition several groups share', () => {
  it('cannot be closed by one group’s organiser alone: it stays open, says it awaits the other group, and the other group’s agreement closes it', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA, groupB], state: 'open', action: 'Keep the Ashworth and Brockley blood clinic' });

    const first = await press(organiser, id, 'close');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/admin/petitions/${id}`);
    expect((await findPetition(t.ctx.db, id))!.state).toBe('open');
    const page = await organiser.get(String(first.headers.location));
    expect(page.body).toContain('Your group has agreed to close the petition');
    expect(page.body).toContain('Waiting for Brockley Health Watch to agree');
    expect(page.body).not.toContain(`action="/admin/petitions/${id}/close"`);

    // Asking again changes nothing: one group agrees once.
    await organiser.post(`/admin/petitions/${id}/close`, {});
    expect((await findPetition(t.ctx.db, id))!.state).toBe('open');

    // The other group's organiser sees who agreed, and their agreement closes it.
    const theirs = await otherOrganiser.get(`/admin/petitions/${id}`);
    expect(theirs.body).toContain('Agreed by Ashworth Save Our Surgery; waiting for Brockley Health Watch');
    expect(theirs.body).toContain('Agree to close now');
    const second = await press(otherOrganiser, id, 'close');
    expect(second.headers.location).toBe(`/admin/petitions/${id}`);
    const closed = (await findPetition(t.ctx.db, id))!;
    expect(closed.state).toBe('closed');
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect(await auditActions(t.ctx.db, id)).toEqual(['petition.close.agree', 'petition.close']);

    // Reopened, it needs every group's agreement afresh.
    await press(admin, id, 'reopen');
    expect((await findPetition(t.ctx.db, id))!.state).toBe('open');
    await press(otherOrganiser, id, 'close');
    expect((await findPetition(t.ctx.db, id))!.state).toBe('open');
  });

  it('cannot be closed early by one group’s organiser moving its closing date forward on the edit form; a later date is theirs to set, and an admin may bring it forward', async () => {
    const closingDate = addMonths(londonToday(), 6);
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA, groupB], state: 'open', closingDate });
    const milestones = { response_threshold: '10000', debate_threshold: '100000' };
    const tomorrow = new Date(Date.parse(`${londonToday()}T12:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);

    await organiser.get(`/admin/petitions/${id}/edit`);
    const sooner = await organiser.post(`/admin/petitions/${id}/edit`, { ...milestones, closing_date: tomorrow });
    expect(sooner.statusCode).toBe(422);
    expect(sooner.body).toContain('it can close sooner only if every group agrees');
    expect(sooner.body).toContain('href="#field-closing_date"');
    expect((await findPetition(t.ctx.db, id))!.closingDate).toBe(closingDate);

    // The other group's organiser cannot either.
    await otherOrganiser.get(`/admin/petitions/${id}/edit`);
    expect((await otherOrganiser.post(`/admin/petitions/${id}/edit`, { ...milestones, closing_date: addMonths(londonToday(), 1) })).statusCode).toBe(422);
    expect((await findPetition(t.ctx.db, id))!.closingDate).toBe(closingDate);

    // Running longer ends nothing early: one group may do it.
    const later = addMonths(londonToday(), 9);
    await organiser.get(`/admin/petitions/${id}/edit`);
    expect((await organiser.post(`/admin/petitions/${id}/edit`, { ...milestones, closing_date: later })).statusCode).toBe(303);
    expect((await findPetition(t.ctx.db, id))!.closingDate).toBe(later);

    // An admin may bring it forward.
    await admin.get(`/admin/petitions/${id}/edit`);
    expect((await admin.post(`/admin/petitions/${id}/edit`, { ...milestones, closing_date: tomorrow })).statusCode).toBe(303);
    expect((await findPetition(t.ctx.db, id))!.closingDate).toBe(tomorrow);
  });

  it('is closed by an admin at once', async () => {
    const id = await insertPetition(t.ctx.db, { groupIds: [groupA, groupB], state: 'open' });
    const response = await press(admin, id, 'close');
    expect(response.headers.location).toBe(`/admin/petitions/${id}`);
    expect((await findPetition(t.ctx.db, id))!.state).toBe('closed');
  });
});

describe('approving a petition you started', () => {
  async function submittedByAdmin(agent: Agent, action: string): Promise<number> {
    await agent.get('/admin/petitions/new');
    const created = await agent.post('/admin/petitions/new', draftFields(groupA, action));
    const id = Number(/\/admin\/petitions\/(\d+)/.exec(String(created.headers.location))![1]);
    expect((await press(agent, id, 'submit')).statusCode).toBe(303);
    return id;
  }

  it('cannot be done by the admin who started it unless the petition settings allow it; another admin or a moderator can', async () => {
    const { agent: secondAdmin } = await signedInAgent(t.app, t.ctx, { role: 'admin' });
    const id = await submittedByAdmin(admin, 'Save the Ashworth renal unit');

    const refused = await press(admin, id, 'approve');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('another admin or a moderator must approve it');
    expect((await findPetition(t.ctx.db, id))!.state).toBe('awaiting_moderation');
    expect((await admin.get(`/admin/petitions/${id}`)).body).not.toContain(`action="/admin/petitions/${id}/approve"`);
    expect((await admin.get('/admin/moderation')).body).not.toContain(`action="/admin/petitions/${id}/approve"`);
    expect((await secondAdmin.get('/admin/moderation')).body).toContain(`action="/admin/petitions/${id}/approve"`);
    expect((await press(secondAdmin, id, 'approve')).statusCode).toBe(303);
    expect((await findPetition(t.ctx.db, id))!.state).toBe('open');

    // The setting is off to begin with; only an admin may change it.
    const settings = await admin.get('/admin/petitions/settings');
    expect(settings.statusCode).toBe(200);
    expect(settings.body).toMatch(/name="admins_approve_own"[^>]*>/);
    expect(settings.body).not.toMatch(/name="admins_approve_own"[^>]*checked/);
    await organiser.get('/admin/petitions');
    expect((await organiser.post('/admin/petitions/settings', { admins_approve_own: 'yes' })).statusCode).toBe(403);
    expect((await moderator.post('/admin/petitions/settings', { admins_approve_own: 'yes' })).statusCode).toBe(403);
    expect((await admin.post('/admin/petitions/settings', { admins_approve_own: 'yes' })).headers.location).toBe('/admin/petitions/settings');
    expect((await admin.get('/admin/petitions/settings')).body).toMatch(/name="admins_approve_own"[^>]*checked/);

    const allowed = await submittedByAdmin(admin, 'Save the Ashworth dialysis chairs');
    expect((await press(admin, allowed, 'approve')).statusCode).toBe(303);
    expect((await findPetition(t.ctx.db, allowed))!.state).toBe('open');

    await admin.post('/admin/petitions/settings', {});
    const again = await submittedByAdmin(admin, 'Save the Ashworth eye clinic');
    expect((await press(admin, again, 'approve')).statusCode).toBe(403);
  });

  it('names the field when the settings name a group that does not exist', async () => {
    await admin.get('/admin/petitions/settings');
    const response = await admin.post('/admin/petitions/settings', { all_signers_groups: ['999999'] });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('href="#field-all_signers_groups"');
    const bad = await admin.post('/admin/petitions/settings', { all_signers_groups: 'x' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#field-all_signers_groups"');
  });
});
