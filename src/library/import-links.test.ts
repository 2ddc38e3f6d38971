import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importers } from '../imports.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { places, seedPlaces } from '../../test/support/public-petitions.ts';
import { detectLinksFile, readLinksWxr } from './import-links.ts';

/** A small WordPress export of a links page, as WordPress writes it (WXR 1.2). */
const WXR = `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Keep Our NHS Public</title>
  <link>https://campaign.example</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <item>
    <title>Info links</title>
    <link>https://campaign.example/info-links/</link>
    <pubDate>Mon, 03 Feb 2020 10:00:00 +0000</pubDate>
    <dc:creator><![CDATA[admin]]></dc:creator>
    <content:encoded><![CDATA[<p>Links to important new information on other websites.</p>
<ul>
<li><a href="https://news.example/ae-downgrade?utm_source=wp">A&amp;E downgrade goes ahead</a> – The Gazette, 2019-11-04: the board ignored <strong>10,000</strong> responses.</li>
<li><a href="https://health.example/report">Waiting lists report</a> – Health Journal: a record number are waiting.</li>
<li>A list item with <a href="/relative">a relative link</a> only.</li>
</ul>
<p><a href="https://third.example/nurses">Nurses strike</a></p>]]></content:encoded>
    <wp:post_date><![CDATA[2020-02-03 10:00:00]]></wp:post_date>
    <wp:status><![CDATA[publish]]></wp:status>
    <wp:post_type><![CDATA[page]]></wp:post_type>
    <category domain="post_tag" nicename="nhs"><![CDATA[NHS]]></category>
  </item>
  <item>
    <title>Draft links</title>
    <content:encoded><![CDATA[<p><a href="https://draft.example/x">Not published</a></p>]]></content:encoded>
    <wp:status><![CDATA[draft]]></wp:status>
    <wp:post_type><![CDATA[page]]></wp:post_type>
  </item>
</channel>
</rss>
`;

const CSV = `url,title,source,date,summary,tags,regions
https://csv.example/one,Maternity unit to close,The Echo,14/03/2024,"Campaigners ""furious"".","maternity, closures",${places.north.region}
https://csv.example/two,Second story,,2024-03-15,,,
not-a-url,Bad row,,,,,
https://csv.example/three,,,,,,
https://news.example/ae-downgrade,Same as the WXR one,,,,,
`;

let t: TestApp;
let dir: string;
const stdout = process.stdout.write.bind(process.stdout);
const stderr = process.stderr.write.bind(process.stderr);
let printed = '';

beforeAll(async () => {
  t = await createTestApp();
  await seedPlaces(t.database.db);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-links-'));
  fs.writeFileSync(path.join(dir, 'links.xml'), WXR);
  fs.writeFileSync(path.join(dir, 'links.csv'), CSV);
}, 60_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await t.close();
});

/** Runs `chorus import links <file>`'s importer, keeping what it prints. */
async function importFile(name: string) {
  printed = '';
  process.stdout.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stderr.write;
  try {
    return await importers.links!.run(t.ctx, path.join(dir, name));
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

describe('chorus import links', () => {
  it('tells a WordPress export from a CSV', () => {
    expect(detectLinksFile(WXR)).toBe('wxr');
    expect(detectLinksFile(CSV)).toBe('csv');
    expect(detectLinksFile('\uFEFF<?xml version="1.0"?><rss><channel></channel></rss>')).toBe('csv');
  });

  it('reads each web link of a published links page, with its source, date and tags', () => {
    const rows = readLinksWxr(WXR);
    expect(rows.map((r) => r.fields)).toEqual([
      { url: 'https://news.example/ae-downgrade?utm_source=wp', title: 'A&E downgrade goes ahead', source: 'The Gazette', published_on: '2019-11-04', summary: 'the board ignored 10,000 responses.', tags: 'NHS' },
      { url: 'https://health.example/report', title: 'Waiting lists report', source: 'Health Journal', published_on: '2020-02-03', summary: 'a record number are waiting.', tags: 'NHS' },
      { url: 'https://third.example/nurses', title: 'Nurses strike', source: '', published_on: '2020-02-03', summary: '', tags: 'NHS' },
    ]);
  });

  it('imports a WordPress export, and a second run adds nothing twice', async () => {
    const first = await importFile('links.xml');
    expect(first).toMatchObject({ read: 3, loaded: 3, rejected: 0, failed: false });
    expect(printed).toContain('3 rows read, 3 loaded');
    const again = await importFile('links.xml');
    expect(again).toMatchObject({ read: 3, loaded: 0, rejected: 0, notes: { 'already there': 3 } });
    const rows = await t.ctx.db.selectFrom('links').select(['title', 'canonical_url', 'added_by_name', 'tags']).where('canonical_url', 'like', 'https://news.example/%').execute();
    expect(rows).toEqual([{ title: 'A&E downgrade goes ahead', canonical_url: 'https://news.example/ae-downgrade', added_by_name: 'Import', tags: ['nhs'] }]);
  });

  it('imports a CSV, naming each bad line, and is re-runnable', async () => {
    const first = await importFile('links.csv');
    expect(first).toMatchObject({ read: 5, loaded: 2, rejected: 2, notes: { 'already there': 1, format: 'csv' } });
    expect(printed).toContain('line 4: url: Enter a web address');
    expect(printed).toContain('line 5: title: Enter the title');
    const one = await t.ctx.db.selectFrom('links').selectAll().where('canonical_url', '=', 'https://csv.example/one').executeTakeFirstOrThrow();
    expect(one).toMatchObject({ title: 'Maternity unit to close', source: 'The Echo', summary: 'Campaigners "furious".', tags: ['maternity', 'closures'], region_codes: [places.north.region] });
    expect(one.published_on).toBe('2024-03-14');
    const again = await importFile('links.csv');
    expect(again).toMatchObject({ loaded: 0, notes: { 'already there': 3 } });
    const search = await t.app.inject({ method: 'GET', url: '/links?q=maternity' });
    expect(search.body).toContain('Maternity unit to close');
  });
});
