import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { signedInAgent } from '../../../test/support/organisers.ts';
import { upsertPerson } from '../people.ts';
import { ensurePurpose } from '../consent-purposes.ts';
import { createImport, getImport, markQueued, saveMapping, saveReport, sha256 } from './import-store.ts';
import { resumeStalledImportsJob } from './jobs.ts';
import { runImport } from './run-import.ts';
import { withImportTables } from './tables.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WORDING = 'Yes, send me news of the campaign to save our NHS.';
let t: TestApp;
let admin: Agent;
let organiser: Agent;
let groupA = 0;
let dir = '';

/** An Action Network activist export, as their "Download" gives it (columns and values). */
const actionNetworkCsv = [
  'uuid,first_name,last_name,email,zip_code,can2_phone,country,can2_subscription_status,can2_user_tags,created_at',
  'a1,Ada,Lovelace,ada.lovelace@gmail.com,sw1a 1aa,020 7946 0000,GB,subscribed,"volunteer, nurse",2023-04-01 10:00:00 UTC',
  'a2,Bob,Bad,not-an-email,,,GB,subscribed,,2023-04-01',
  'a3,Cat,Code,cat@example.org,XYZ 123,,GB,subscribed,,2023-04-01',
  'a4,Ada,L,AdaLovelace+an@googlemail.com,,,GB,subscribed,volunteer,2023-05-01',
  'a5,Jane,Existing,existing@example.org,,,GB,unsubscribed,,2023-04-01',
  'a6,Dan,Date,dan@example.org,,,GB,subscribed,,someday',
  'a7,Eve,Phone,eve@example.org,,ABC,GB,subscribed,,2023-04-01',
  'a8,Fay,Withdrawn,fay@example.org,,,GB,subscribed,,2023-04-01',
  'a9,Gus,Bounce,gus@example.org,,,GB,bouncing,,2023-04-01',
].join('\n');

async function tableCounts() {
  const row = await sql<Record<string, number>>`
    select (select count(*) from people)::int as people, (select count(*) from consents)::int as consents,
      (select count(*) from consent_events)::int as events, (select count(*) from taggings)::int as taggings,
      (select count(*) from tags)::int as tags, (select count(*) from person_actions)::int as actions`.execute(t.ctx.db);
  return row.rows[0]!;
}

async function personByEmail(canonical: string) {
  return t.ctx.db.selectFrom('people').selectAll().where('canonical_email', '=', canonical).executeTakeFirst();
}

beforeAll(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-import-'));
  groupA = (await t.ctx.db.insertInto('groups').values({ slug: 'group-a', name: 'Group A' }).returning('id').executeTakeFirstOrThrow()).id;
  await t.ctx.db.insertInto('constituencies').values({ code: 'E14001172', name: 'Cities of London and Westminster', region_code: 'E12000007', region_name: 'London', votes_by_party: null }).execute();
  await t.ctx.db.insertInto('postcodes').values({ compact: 'SW1A1AA', postcode: 'SW1A 1AA', country_code: 'E92000001', region_code: 'E12000007', constituency_code: 'E14001172' }).execute();
  await upsertPerson(t.ctx.db, { email: 'existing@example.org', givenName: 'Jane' });
  // Fay withdrew her consent to the coalition's updates: an import must not override that.
  const fay = await upsertPerson(t.ctx.db, { email: 'fay@example.org', givenName: 'Fay' });
  const purpose = await ensurePurpose(t.ctx.db, null);
  await t.ctx.db.insertInto('consents').values({ person_id: fay.id, purpose_id: purpose, status: 'withdrawn', method: 'form:join', withdrawn_at: new Date() }).execute();
  admin = (await signedInAgent(t.app, t.ctx, { role: 'admin' })).agent;
  organiser = (await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA] })).agent;
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await t.close();
});

async function upload(agent: Agent, fields: Record<string, string>, csv: string | null, fileName = 'an-export.csv') {
  await agent.get('/admin/people-imports');
  return agent.postMultipart('/admin/people-imports', fields, csv === null ? {} : { file: { filename: fileName, type: 'text/csv', data: Buffer.from(csv) } });
}

/** Upload → mapping (as guessed) → dry run; returns the import's page address. */
async function uploadAndCheck(agent: Agent, csv: string, fields: Record<string, string> = {}) {
  const uploaded = await upload(agent, { group: 'coalition', wording: WORDING, tags: 'imported-2024', ...fields }, csv);
  expect(uploaded.statusCode).toBe(303);
  const page = uploaded.headers.location as string;
  const mapping = await agent.get(page);
  const selected = Object.fromEntries([...mapping.body.matchAll(/<select[^>]*name="(\w+)"[\s\S]*?<\/select>/g)].map((m) => [m[1]!, /<option value="(\d+)" selected/.exec(m[0])?.[1] ?? '']));
  const checked = await agent.post(`${page}/mapping`, selected);
  expect(checked.statusCode).toBe(303);
  return page;
}

describe('importing people from an Action Network export on the web', () => {
  let page = '';

  it('recognises the columns, then the dry run reports bad rows by line number and writes nothing', async () => {
    const before = await tableCounts();
    const uploaded = await upload(admin, { group: 'coalition', wording: WORDING, tags: 'imported-2024' }, actionNetworkCsv);
    page = uploaded.headers.location as string;
    const mapping = await admin.get(page);
    expect(mapping.body).toContain('Which column holds what?');
    expect(mapping.body).toMatch(/name="email"[\s\S]*?<option value="3" selected>email<\/option>/);
    expect(mapping.body).toMatch(/name="postcode"[\s\S]*?<option value="4" selected>zip_code<\/option>/);
    expect(mapping.body).toMatch(/name="subscription"[\s\S]*?<option value="7" selected>can2_subscription_status<\/option>/);
    expect(mapping.body).toMatch(/name="tags"[\s\S]*?<option value="8" selected>can2_user_tags<\/option>/);

    const noEmail = await admin.post(`${page}/mapping`, { givenName: '1' });
    expect(noEmail.statusCode).toBe(422);
    expect(noEmail.body).toContain('Choose the column that holds email addresses');

    await admin.get(page);
    const fields = { givenName: '1', familyName: '2', email: '3', postcode: '4', phone: '5', country: '6', subscription: '7', tags: '8', createdAt: '9' };
    expect((await admin.post(`${page}/mapping`, fields)).statusCode).toBe(303);
    const report = (await getImport(t.ctx.db, page.split('/').pop()!))!.report!;
    expect(report).toMatchObject({
      rows: 9,
      valid: 5,
      bad: 4,
      wouldCreate: 2,
      wouldUpdate: 2,
      duplicatesInFile: 1,
      withConsent: 1,
      withoutConsent: 2,
      consentWithdrawnKept: 1,
      newTags: ['imported-2024', 'volunteer', 'nurse'],
      duplicates: [{ line: 5, firstLine: 2 }],
    });
    expect(report.problems).toEqual([
      { line: 3, reason: '"not-an-email" is not an email address' },
      { line: 4, reason: '"XYZ 123" is not a UK postcode' },
      { line: 7, reason: 'Date joined "someday" is not a date (use 2024-01-31)' },
      { line: 8, reason: '"ABC" is not a phone number' },
    ]);
    const shown = await admin.get(page);
    expect(shown.body).toContain('Dry run: nothing has been saved yet');
    expect(shown.body).toMatch(/<td class="numeric">4<\/td><td>&quot;XYZ 123&quot; is not a UK postcode<\/td>/);
    expect(await tableCounts()).toEqual(before);
  });

  it('runs as a job: people created or updated once per canonical email, consent with its wording and source, tags', async () => {
    await admin.get(page);
    expect((await admin.post(`${page}/run`, {})).statusCode).toBe(303);
    expect((await getImport(t.ctx.db, page.split('/').pop()!))!.state).toBe('queued');
    await t.runJobs();
    const done = (await getImport(t.ctx.db, page.split('/').pop()!))!;
    expect(done.state).toBe('done');
    expect(done.counts).toMatchObject({ rows: 9, imported: 5, rejected: 4, created: 2, updated: 3, consentGiven: 1, consentWithdrawnKept: 1, withoutConsent: 2 });
    expect(await withImportTables(t.ctx.db).selectFrom('people_imports').select('content').where('id', '=', done.id).executeTakeFirst()).toEqual({ content: null });

    const ada = (await personByEmail('adalovelace@gmail.com'))!;
    expect(ada).toMatchObject({ email: 'ada.lovelace@gmail.com', given_name: 'Ada', postcode: 'SW1A 1AA', constituency_code: 'E14001172', region_code: 'E12000007', country_code: 'GB', phone: '020 7946 0000', source_method: 'import:an-export.csv' });
    expect(await t.ctx.db.selectFrom('people').select('id').where('canonical_email', 'like', 'adalovelace%').execute()).toHaveLength(1);

    const consent = await sql<{ status: string; method: string; wording: string; given_at: Date; source: string }>`
      select c.status, c.method, w.wording, c.given_at, c.source from consents c join consent_wordings w on w.id = c.wording_id
      where c.person_id = ${ada.id}`.execute(t.ctx.db);
    expect(consent.rows).toEqual([{ status: 'given', method: 'import:an-export.csv', wording: WORDING, given_at: new Date('2023-04-01T10:00:00Z'), source: expect.stringContaining('people import') }]);
    const events = await sql<{ event: string; method: string; wording: string }>`
      select e.event, e.method, w.wording from consent_events e join consent_wordings w on w.id = e.wording_id where e.person_id = ${ada.id}`.execute(t.ctx.db);
    expect(events.rows).toEqual([{ event: 'given', method: 'import:an-export.csv', wording: WORDING }]);

    const existing = (await personByEmail('existing@example.org'))!;
    expect(await t.ctx.db.selectFrom('consents').select('status').where('person_id', '=', existing.id).execute()).toEqual([]);
    const fay = (await personByEmail('fay@example.org'))!;
    expect(await t.ctx.db.selectFrom('consents').select('status').where('person_id', '=', fay.id).execute()).toEqual([{ status: 'withdrawn' }]);
    expect(await t.ctx.db.selectFrom('consent_events').select('id').where('person_id', '=', fay.id).execute()).toEqual([]);

    const tagsOf = async (personId: number) =>
      (await sql<{ name: string }>`select g.name from taggings t join tags g on g.id = t.tag_id where t.person_id = ${personId} order by g.name`.execute(t.ctx.db)).rows.map((r) => r.name);
    expect(await tagsOf(ada.id)).toEqual(['imported-2024', 'nurse', 'volunteer']);
    expect(await tagsOf(existing.id)).toEqual(['imported-2024']);
    const finished = await admin.get(page);
    expect(finished.body).toContain('<strong>Done</strong>');
  });

  it('imports the same file again without changing anything', async () => {
    const before = await tableCounts();
    const again = await uploadAndCheck(admin, actionNetworkCsv);
    expect((await getImport(t.ctx.db, again.split('/').pop()!))!.report).toMatchObject({ wouldCreate: 0, wouldUpdate: 4, withConsent: 0, consentAlreadyGiven: 1 });
    await admin.get(again);
    await admin.post(`${again}/run`, {});
    await t.runJobs();
    expect((await getImport(t.ctx.db, again.split('/').pop()!))!.counts).toMatchObject({ created: 0, consentGiven: 0, consentAlreadyGiven: 1, tagsAdded: 0 });
    expect(await tableCounts()).toEqual(before);
  });
});

describe('resuming an interrupted import', () => {
  const many = ['email,first_name,can2_subscription_status', ...Array.from({ length: 25 }, (_, i) => `resume${i + 1}@example.org,R${i + 1},subscribed`)].join('\n');

  async function checkedImport(csv: string): Promise<string> {
    const content = Buffer.from(csv);
    const id = await createImport(t.ctx.db, {
      source: 'web',
      fileName: 'many.csv',
      fileSha256: sha256(content),
      fileBytes: content.length,
      content,
      groupId: groupA,
      wording: WORDING,
      agreedOn: '2024-02-01',
      extraTags: [],
      listId: null,
      mapping: null,
      createdBy: null,
      createdByLabel: 'test',
    });
    await saveMapping(t.ctx.db, id, { email: 0, givenName: 1, subscription: 2 });
    await saveReport(t.ctx.db, id, { rows: 25, lastLine: 26 } as never);
    await markQueued(t.ctx.db, id);
    return id;
  }

  it('continues after the last committed batch and applies no row twice', async () => {
    const id = await checkedImport(many);
    const stopped = await runImport(t.ctx.db, id, { open: () => Readable.from([Buffer.from(many)]), delimiter: ',', batchSize: 5, stopAfterBatches: 2 });
    expect(stopped.outcome).toBe('stopped');
    const midway = (await getImport(t.ctx.db, id))!;
    expect(midway).toMatchObject({ state: 'running', linesDone: 11, counts: { rows: 10, created: 10 } });
    expect(await t.ctx.db.selectFrom('people').select('id').where('email', 'like', 'resume%').execute()).toHaveLength(10);

    // The worker "restarts": the sweep finds the quiet import and queues it again.
    await withImportTables(t.ctx.db).updateTable('people_imports').set({ heartbeat_at: new Date(Date.now() - 10 * 60_000) }).where('id', '=', id).execute();
    await resumeStalledImportsJob.run({}, t.ctx, {} as never);
    await t.runJobs();

    const done = (await getImport(t.ctx.db, id))!;
    expect(done).toMatchObject({ state: 'done', linesDone: 26, counts: { rows: 25, created: 25, consentGiven: 25 } });
    const people = await t.ctx.db.selectFrom('people').select('id').where('email', 'like', 'resume%').execute();
    expect(people).toHaveLength(25);
    const ids = people.map((p) => p.id);
    expect(await t.ctx.db.selectFrom('consent_events').select('id').where('person_id', 'in', ids).execute()).toHaveLength(25);
    expect(await t.ctx.db.selectFrom('person_groups').select('person_id').where('group_id', '=', groupA).where('person_id', 'in', ids).execute()).toHaveLength(25);
    // Consent dated the day the organiser stated: midnight in London.
    const given = await t.ctx.db.selectFrom('consents').select('given_at').where('person_id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(given.given_at).toEqual(new Date('2024-02-01T00:00:00Z'));
  });
});

describe('upload problems', () => {
  it('names the field: no file, no wording, a future date, a group that is not theirs, a file without a header', async () => {
    const noFile = await upload(admin, { group: 'coalition', wording: WORDING }, null);
    expect(noFile.statusCode).toBe(422);
    expect(noFile.body).toContain('Choose a CSV file');
    expect(noFile.body).toContain('href="#field-file"');

    const noWording = await upload(admin, { group: 'coalition', wording: '' }, actionNetworkCsv);
    expect(noWording.statusCode).toBe(422);
    expect(noWording.body).toContain('href="#field-wording"');

    const future = await upload(admin, { group: 'coalition', wording: WORDING, agreedOn: '2999-01-01' }, actionNetworkCsv);
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('The day they agreed cannot be in the future');
    expect(future.body).toContain(`>${WORDING}</textarea>`);

    const notTheirs = await upload(organiser, { group: 'coalition', wording: WORDING }, actionNetworkCsv);
    expect(notTheirs.statusCode).toBe(422);
    expect(notTheirs.body).toContain('Choose one of your groups');

    const empty = await upload(admin, { group: 'coalition', wording: WORDING }, '\n\n');
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('The file must be a CSV file with a header row');
  });

  it("keeps a group's import from other organisers and admins' coalition imports from organisers", async () => {
    const mine = await upload(organiser, { group: String(groupA), wording: WORDING }, actionNetworkCsv);
    expect(mine.statusCode).toBe(303);
    expect((await admin.get(mine.headers.location as string)).statusCode).toBe(200);
    const coalition = (await withImportTables(t.ctx.db).selectFrom('people_imports').select('id').where('group_id', 'is', null).executeTakeFirstOrThrow()).id;
    expect((await organiser.get(`/admin/people-imports/${coalition}`)).statusCode).toBe(404);
    for (const id of ['abc', '1', `${coalition}x`]) {
      expect((await admin.get(`/admin/people-imports/${id}`)).statusCode, id).toBe(404);
      expect((await admin.get(`/admin/people-imports/${id}/status.json`)).statusCode, id).toBe(404);
    }
  });
});

function chorus(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'chorus.js'), ...args], {
      cwd: root,
      // vitest sets BASE_URL to '/' for its own use: give the real setting.
      env: { ...process.env, DATABASE_URL: t.database.url, BASE_URL: 'http://chorus.test', LOG_LEVEL: 'silent', CHORUS_SECRET: 'test-secret-that-is-long-enough-0123456789' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('chorus import people (command line)', () => {
  it('dry-runs, then imports with a summary; a wrong command line says why', async () => {
    const file = path.join(dir, 'cli-export.csv');
    fs.writeFileSync(file, actionNetworkCsv.replace(/ada\.lovelace@gmail\.com/, 'cli.ada@example.org').replace('AdaLovelace+an@googlemail.com', 'cli.ada+x@example.org'));
    const before = await tableCounts();
    const dry = await chorus(['import', 'people', file, '--purpose', 'group-a', '--wording', WORDING, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('line 3: "not-an-email" is not an email address');
    expect(dry.stdout).toContain('people (dry run): 9 rows read, 4 with problems');
    expect(await tableCounts()).toEqual(before);

    const run = await chorus(['import', 'people', file, '--purpose', 'group-a', '--wording', WORDING, '--tag', 'from-cli']);
    expect(run.code).toBe(0);
    // Counted as group A sees them: people known only elsewhere in the coalition are new to the group.
    expect(run.stdout).toContain('people: 9 rows read, 5 loaded, 4 rejected, created: 4, updated: 1');
    const ada = (await personByEmail('cli.ada@example.org'))!;
    expect(await t.ctx.db.selectFrom('person_groups').select('group_id').where('person_id', '=', ada.id).execute()).toEqual([{ group_id: groupA }]);
    const consent = await t.ctx.db.selectFrom('consents').innerJoin('consent_purposes', 'consent_purposes.id', 'consents.purpose_id').select(['key', 'method']).where('person_id', '=', ada.id).execute();
    expect(consent).toEqual([{ key: `group.${groupA}.updates`, method: 'import:cli-export.csv' }]);

    const wrong = await chorus(['import', 'people', file, '--wording', WORDING]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('give --purpose coalition or --purpose <group-slug>');
    const noGroup = await chorus(['import', 'people', file, '--purpose', 'nobody', '--wording', WORDING]);
    expect(noGroup.stderr).toContain('there is no group with the slug "nobody"');
  }, 60_000);
});
