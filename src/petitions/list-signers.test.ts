import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { purposeFor, withdrawConsent } from '../supporters/consent.ts';
import { linkConfirmedSignatures } from '../supporters/link-signatures.ts';
import { addPerson } from '../supporters/mailings/test-support.ts';
import { addSignature } from '../supporters/test-support.ts';
import { auditActions, insertGroup, insertPetition } from './admin/test-support.ts';

/**
 * A group's organisers see (and download) only the signers of their petitions who agreed to hear
 * from their group, with a count of the rest, unless an admin lets the group see everyone; the
 * hand-in names stay whole. "Email these signers" starts a segment of them for a mailing.
 */
let t: TestApp;
let ashworth: number;
let brockley: number;
let petition: number;
let organiser: Agent;
let brockleyOrganiser: Agent;
let admin: Agent;
const wording = 'Yes, keep me updated about this campaign';

beforeAll(async () => {
  t = await createTestApp();
  const db = t.ctx.db;
  ashworth = await insertGroup(db, 'Ashworth Save Our Surgery');
  brockley = await insertGroup(db, 'Brockley Health Watch');
  petition = await insertPetition(db, { groupIds: [ashworth], state: 'open', action: 'Keep Ashworth Road surgery open' });
  const brockleyPurpose = (await purposeFor(db, { groupId: brockley })).id;
  // Eve said yes to Brockley elsewhere, and signed Ashworth's petition without ticking the box.
  await addPerson(db, { email: 'eve@example.org', givenName: 'Eve', consents: [brockleyPurpose] });
  await addSignature(db, petition, { name: 'Ann Agreed', email: 'ann@example.org', hearMore: true, wording });
  await addSignature(db, petition, { name: 'Ben Box-Unticked', email: 'ben@example.org', hearMore: false });
  await addSignature(db, petition, { name: 'Cat Changed-Her-Mind', email: 'cat@example.org', hearMore: true, wording });
  await addSignature(db, petition, { name: 'Eve Elsewhere', email: 'eve@example.org', hearMore: false });
  await addSignature(db, petition, { name: 'Dan Unconfirmed', email: 'dan@example.org', hearMore: true, wording, state: 'pending' });
  await linkConfirmedSignatures(db);
  const cat = await db.selectFrom('people').select('id').where('email', '=', 'cat@example.org').executeTakeFirstOrThrow();
  await withdrawConsent(db, { personId: cat.id, purposeId: (await purposeFor(db, { groupId: ashworth })).id, method: 'preferences' });

  organiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [ashworth] })).agent;
  brockleyOrganiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [brockley] })).agent;
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
});
afterAll(() => t.close());

const everyone = ['ann@example.org', 'ben@example.org', 'cat@example.org', 'eve@example.org'];
const emailsIn = (text: string) => everyone.filter((e) => text.includes(e));
const csvEmails = (csv: string) => csv.trim().split('\n').slice(1).map((line) => line.split(',')[1]);

describe('the signers an organiser sees', () => {
  it('cannot see signers who did not agree to hear from their group: the list and the export show only those who did, with a count of the others', async () => {
    const list = await organiser.get(`/admin/petitions/${petition}/signers`);
    expect(list.statusCode).toBe(200);
    expect(emailsIn(list.body)).toEqual(['ann@example.org']);
    expect(list.body).not.toContain('Ben Box-Unticked');
    expect(list.body).toContain('1 signer who agreed to hear from Ashworth Save Our Surgery, and 3 others who did not agree to hear from you');

    const csv = await organiser.get(`/admin/petitions/${petition}/signers.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`petition-${petition}-`);
    expect(csvEmails(csv.body)).toEqual(['ann@example.org']);
    expect(csv.body.split('\n')[0]).toBe('Name,Email,Postcode,Constituency,Constituency code,Country,Signed at,Confirmed at');

    // The hand-in names (for delivering the petition to its target) still list every signer.
    const handIn = await organiser.get(`/admin/petitions/${petition}/exports/names.csv`);
    for (const name of ['Ann Agreed', 'Ben Box-Unticked', 'Cat Changed-Her-Mind', 'Eve Elsewhere']) expect(handIn.body).toContain(name);

    expect(await auditActions(t.ctx.db, petition)).toEqual(expect.arrayContaining(['petition.signers.view', 'petition.signers.export']));
  });

  it('cannot see the signers of another group’s petition at all', async () => {
    expect((await brockleyOrganiser.get(`/admin/petitions/${petition}/signers`)).statusCode).toBe(403);
    expect((await brockleyOrganiser.get(`/admin/petitions/${petition}/signers.csv`)).statusCode).toBe(403);
  });

  it('shows an admin every confirmed signer', async () => {
    const list = await admin.get(`/admin/petitions/${petition}/signers`);
    expect(emailsIn(list.body)).toEqual(everyone);
    expect(list.body).not.toContain('dan@example.org');
    expect(list.body).toContain('4 signers who confirmed their signature');
    expect(csvEmails((await admin.get(`/admin/petitions/${petition}/signers.csv`)).body)).toEqual(everyone);
  });

  it('shows the group’s organisers every signer once an admin grants it to the group, and only then', async () => {
    await admin.get('/admin/petitions/settings');
    expect((await admin.post('/admin/petitions/settings', { all_signers_groups: String(ashworth) })).statusCode).toBe(303);
    const list = await organiser.get(`/admin/petitions/${petition}/signers`);
    expect(emailsIn(list.body)).toEqual(everyone);
    expect(list.body).not.toContain('did not agree to hear from you');
    expect(csvEmails((await organiser.get(`/admin/petitions/${petition}/signers.csv`)).body)).toEqual(everyone);

    // Granted to another group only, Ashworth's organisers are back to those who agreed.
    expect((await admin.post('/admin/petitions/settings', { all_signers_groups: String(brockley) })).statusCode).toBe(303);
    expect(emailsIn((await organiser.get(`/admin/petitions/${petition}/signers`)).body)).toEqual(['ann@example.org']);
    await admin.post('/admin/petitions/settings', {});
  });
});

describe('a petition’s page', () => {
  it('offers “email these signers” and “export”, and emailing them reaches only those who agreed to hear from the sending group', async () => {
    const page = await organiser.get(`/admin/petitions/${petition}`);
    expect(page.body).toContain(`href="/admin/petitions/${petition}/signers.csv"`);
    const link = /<a href="([^"]+)">Email these signers<\/a>/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toBeDefined();
    expect(link).toMatch(/^\/admin\/segments\/new\?/);

    // The link opens the segment builder with "signed this petition" filled in.
    const builder = await organiser.get(link!);
    expect(builder.statusCode).toBe(200);
    expect(builder.body).toContain('value="petition.signed"');
    const query = link!.slice(link!.indexOf('?') + 1);
    const saved = await organiser.post('/admin/segments', { name: 'Signed: Ashworth Road surgery', group: String(ashworth), query });
    expect(saved.statusCode).toBe(303);
    const segmentId = /\/admin\/segments\/(\d+)/.exec(String(saved.headers.location))![1]!;

    const purposeId = (await purposeFor(t.ctx.db, { groupId: ashworth })).id;
    await organiser.get('/admin/mailings/new');
    const mailing = await organiser.post('/admin/mailings', { purpose_id: String(purposeId), segment_id: segmentId, subject: 'Thank you for signing', body: 'Hello {{first_name|friend}}' });
    expect(mailing.statusCode).toBe(303);
    const id = /\/admin\/mailings\/(\d+)/.exec(String(mailing.headers.location))![1]!;
    await organiser.get(`/admin/mailings/${id}/send`);
    const confirm = await organiser.post(`/admin/mailings/${id}/send`, { when: 'now' });
    // Ann only: Ben did not tick the box, Cat withdrew, Eve agreed to hear from Brockley, not Ashworth.
    expect(/data-recipient-count="(\d+)"/.exec(confirm.body)?.[1]).toBe('1');
  });

  it('has no signers links for a moderator, who cannot open them', async () => {
    const { agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' });
    const page = await moderator.get(`/admin/petitions/${petition}`);
    expect(page.body).not.toContain('Email these signers');
    expect((await moderator.get(`/admin/petitions/${petition}/signers`)).statusCode).toBe(403);
  });
});
