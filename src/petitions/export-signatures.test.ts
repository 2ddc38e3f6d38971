import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import type { Agent } from '../../test/support/agent.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { auditActions, insertConstituency, insertGroup, insertPetition, insertSignatures } from './admin/test-support.ts';
import { confirmedSigners } from './export-signatures.ts';
import { countSignatures } from './jobs.ts';

let t: TestApp;
let groupId: number;
let petitionId: number;
let organiser: Agent;
let otherOrganiser: Agent;
let moderator: Agent;

beforeAll(async () => {
  t = await createTestApp();
  groupId = await insertGroup(t.ctx.db, 'Ashworth Save Our Services');
  const otherGroup = await insertGroup(t.ctx.db, 'Brockley Defend the NHS');
  ({ agent: organiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupId] }));
  ({ agent: otherOrganiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [otherGroup] }));
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
  await insertConstituency(t.ctx.db, 'E14000001', 'Ashworth North', 'Jane Member');
  await insertConstituency(t.ctx.db, 'E14000002', 'Brockley and Dale', null);

  petitionId = await insertPetition(t.ctx.db, { groupIds: [groupId], state: 'open', action: 'Keep Ashworth A&E open' });
  await insertSignatures(t.ctx.db, petitionId, [
    { name: 'Amira Khan', email: 'amira@example.org', constituency: 'E14000001' },
    { name: 'Bob Jones', email: 'bob@example.org', constituency: 'E14000001' },
    { name: 'Chen Li', email: 'chen@example.org', constituency: 'E14000002' },
    { name: 'Sam (sam.smith@example.org)', email: 'sam.smith@example.org', constituency: 'E14000002' },
    { name: '=HYPERLINK("http://evil.example")', email: 'formula@example.org', constituency: 'E14000002' },
    { name: 'Dominique Martin', email: 'dom@example.fr', country: 'FR', constituency: null, region: null },
    { name: 'Pending Person', email: 'pending@example.org', state: 'pending' },
    { name: 'Held Person', email: 'held@example.org', held: true },
    { name: 'Invalid Person', email: 'invalid@example.org', state: 'invalidated' },
  ]);
  await countSignatures(t.ctx);
});
afterAll(() => t.close());

describe('exports for a hand-in', () => {
  it('streams names with constituency as CSV: confirmed, counted signatures only, never an email address', async () => {
    const response = await organiser.get(`/admin/petitions/${petitionId}/exports/names.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="petition-\d+-fixture-names\.csv"$/);
    expect(response.body).not.toContain('@');
    const rows = parse(response.body) as string[][];
    expect(rows).toEqual([
      ['Name', 'Constituency', 'Constituency code', 'Country'],
      ['Amira Khan', 'Ashworth North', 'E14000001', 'United Kingdom'],
      ['Bob Jones', 'Ashworth North', 'E14000001', 'United Kingdom'],
      ['Chen Li', 'Brockley and Dale', 'E14000002', 'United Kingdom'],
      ['Sam [address removed]', 'Brockley and Dale', 'E14000002', 'United Kingdom'],
      [`'=HYPERLINK("http://evil.example")`, 'Brockley and Dale', 'E14000002', 'United Kingdom'],
      ['Dominique Martin', '', '', 'France'],
    ]);
  });

  it('reads signers in batches by keyset, each once', async () => {
    const batches: string[][] = [];
    for await (const batch of confirmedSigners(t.ctx.db, petitionId, 2)) batches.push(batch.map((s) => s.name));
    expect(batches.map((b) => b.length)).toEqual([2, 2, 2]);
    expect(batches.flat()).toHaveLength(new Set(batches.flat()).size);
  });

  it('gives counts by constituency with the MP, matching the tallies', async () => {
    const response = await organiser.get(`/admin/petitions/${petitionId}/exports/constituencies.csv`);
    expect(response.statusCode).toBe(200);
    expect(parse(response.body)).toEqual([
      ['Constituency code', 'Constituency', 'MP', 'Signatures'],
      ['E14000002', 'Brockley and Dale', '', '3'],
      ['E14000001', 'Ashworth North', 'Jane Member', '2'],
    ]);
  });

  it('has a printable page of the names, without addresses', async () => {
    const response = await organiser.get(`/admin/petitions/${petitionId}/exports/print`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<caption>Signatures in the order they were made</caption>');
    expect(response.body).toContain('<td>Amira Khan</td><td>Ashworth North</td><td>United Kingdom</td>');
    expect(response.body).toContain('=HYPERLINK(&quot;http://evil.example&quot;)');
    expect(response.body).not.toContain('sam.smith@example.org');
    expect(response.body).not.toContain('Pending Person');
    expect(response.body).toMatch(/<\/html>$/);
  });

  it('records each export in the audit log, with who did it', async () => {
    const actions = await auditActions(t.ctx.db, petitionId);
    expect(actions).toEqual(expect.arrayContaining(['petition.export.names-csv', 'petition.export.constituency-counts-csv', 'petition.export.names-print']));
    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'petition.export.names-csv').executeTakeFirstOrThrow();
    expect(entry.actor_label).toMatch(/^Test organiser/);
    expect(entry.at).toBeInstanceOf(Date);
  });

  it('is for the petition’s organisers and admins only', async () => {
    expect((await otherOrganiser.get(`/admin/petitions/${petitionId}/exports/names.csv`)).statusCode).toBe(403);
    expect((await moderator.get(`/admin/petitions/${petitionId}/exports/names.csv`)).statusCode).toBe(403);
    const draft = await insertPetition(t.ctx.db, { groupIds: [groupId], state: 'draft' });
    expect((await organiser.get(`/admin/petitions/${draft}/exports/names.csv`)).statusCode).toBe(409);
    expect(await auditActions(t.ctx.db, draft)).toEqual([]);
  });
});
