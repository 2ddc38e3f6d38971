import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import type { Agent } from '../../test/support/agent.ts';
import { auditActions, insertGroup } from './admin/test-support.ts';
import { findPetition } from './store.ts';
import { encodePng } from '../platform/index.ts';

let t: TestApp;
let groupA: number;
let groupB: number;
let organiser: Agent;
let admin: Agent;
let moderator: Agent;

/** A real PNG of this many pixels. */
const png = (width: number, height: number) => encodePng(width, height, (x, y) => [x % 256, y % 256, 90]);
const PNG = png(1200, 630);

function petitionFields(groups: number | number[], overrides: Record<string, string> = {}): Record<string, string | string[]> {
  return {
    groups: Array.isArray(groups) ? groups.map(String) : String(groups),
    action: 'Keep the maternity unit at Ashworth General open',
    background: 'The trust plans to move births 40 miles away.',
    additional_details: 'Ambulance times in our area are already the worst in the region.',
    target: 'Ashworth and District Integrated Care Board',
    closing_date: '',
    response_threshold: '10,000',
    debate_threshold: '100000',
    custom_milestones: '25000 Hand it in at the ICB board meeting',
    ...overrides,
  };
}

async function createdId(response: { statusCode: number; headers: Record<string, unknown> }): Promise<number> {
  expect(response.statusCode).toBe(303);
  const match = /^\/admin\/petitions\/(\d+)$/.exec(String(response.headers.location));
  expect(match).not.toBeNull();
  return Number(match![1]);
}

beforeAll(async () => {
  t = await createTestApp();
  groupA = await insertGroup(t.ctx.db, 'Ashworth Save Our Hospital');
  groupB = await insertGroup(t.ctx.db, 'Brockley Keep Our NHS Public');
  ({ agent: organiser } = await signedInAgent(t.app, t.ctx, { role: 'organiser', groupIds: [groupA] }));
  ({ agent: admin } = await signedInAgent(t.app, t.ctx, { role: 'admin' }));
  ({ agent: moderator } = await signedInAgent(t.app, t.ctx, { role: 'moderator' }));
});
afterAll(() => t.close());

/** The text a person reads in the page's form: tags dropped, entities of the kind Preact writes decoded. */
function formText(html: string): string {
  const form = /<form[^>]*class="[^"]*petition-form[^"]*"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  return form
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');
}

/** Where each named field's input comes in the page (-1 when absent). */
const positions = (html: string, names: string[]) => names.map((n) => html.indexOf(`name="${n}"`));

describe('the petition form', () => {
  it('asks who it is addressed to before what they should do, then the background and details, as the Parliament site and Action Network do', async () => {
    const page = await organiser.get('/admin/petitions/new');
    const order = positions(page.body, ['groups', 'target', 'action', 'background', 'additional_details', 'closing_date', 'response_threshold']);
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The action's label follows the target's, so "them" means the target just named.
    const text = formText(page.body);
    expect(text.indexOf('Who is it addressed to?')).toBeLessThan(text.indexOf('What do you want them to do?'));

    // Its errors are listed in the same order as the fields.
    const refused = await organiser.post('/admin/petitions/new', { groups: String(groupA) });
    expect(refused.statusCode).toBe(422);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.body)?.[0] ?? refused.body;
    expect(summary.indexOf('#field-target')).toBeGreaterThan(0);
    expect(summary.indexOf('#field-target')).toBeLessThan(summary.indexOf('#field-action'));
  });

  it('says “Milestones” once, on the new and the edit form', async () => {
    const created = await organiser.post('/admin/petitions/new', petitionFields(groupA));
    const id = await createdId(created);
    for (const page of [await organiser.get('/admin/petitions/new'), await organiser.get(`/admin/petitions/${id}/edit`)]) {
      expect(page.statusCode).toBe(200);
      const text = formText(page.body);
      expect(text.match(/milestones?/gi), text).toEqual(['Milestones']);
    }
  });
});

describe('starting a petition', () => {
  it('answers 404, not an error, for a petition id that is not a whole number in range, and for an image id that is not one', async () => {
    for (const id of ['abc', '0', '1.5', '9999999999']) {
      expect((await admin.get(`/admin/petitions/${id}`)).statusCode, id).toBe(404);
      expect((await admin.get(`/admin/petitions/${id}/trending`)).statusCode, id).toBe(404);
    }
    expect((await admin.get('/admin/petitions?state=toString&page=x')).statusCode).toBe(200);
    expect((await admin.get('/media/not-an-image')).statusCode).toBe(404);
  });

  it('offers an organiser only their own groups', async () => {
    const page = await organiser.get('/admin/petitions/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ashworth Save Our Hospital');
    expect(page.body).not.toContain('Brockley Keep Our NHS Public');
    expect(page.body).toContain('value="10000"');
    expect(page.body).toContain('value="100000"');
  });

  it('saves a draft with its groups, wording and milestones, and audits it', async () => {
    await organiser.get('/admin/petitions/new');
    const id = await createdId(await organiser.post('/admin/petitions/new', petitionFields(groupA)));
    const petition = await findPetition(t.ctx.db, id);
    expect(petition).toMatchObject({
      state: 'draft',
      action: 'Keep the maternity unit at Ashworth General open',
      target: 'Ashworth and District Integrated Care Board',
      additionalDetails: 'Ambulance times in our area are already the worst in the region.',
      closingDate: null,
      slug: 'keep-the-maternity-unit-at-ashworth-general-open',
    });
    expect(petition!.groups.map((g) => g.id)).toEqual([groupA]);
    expect(petition!.milestones.map((m) => [m.threshold, m.kind])).toEqual([
      [10_000, 'response'],
      [25_000, 'custom'],
      [100_000, 'debate'],
    ]);
    expect(await auditActions(t.ctx.db, id)).toEqual(['petition.create']);
    const overview = await organiser.get(`/admin/petitions/${id}`);
    expect(overview.body).toContain('Saved as a draft');
    expect(overview.body).toContain('Submit for moderation');
  });

  it('lets an admin make one petition for several groups', async () => {
    await admin.get('/admin/petitions/new');
    const id = await createdId(await admin.post('/admin/petitions/new', petitionFields([groupA, groupB])));
    expect((await findPetition(t.ctx.db, id))!.groups.map((g) => g.id).sort()).toEqual([groupA, groupB].sort());
  });

  it.each([
    ['action', 'a'.repeat(81), 'Action must be 80 characters or fewer'],
    ['action', '   ', 'Enter the action'],
    ['background', 'b'.repeat(301), 'Background must be 300 characters or fewer'],
    ['additional_details', 'd'.repeat(801), 'More details must be 800 characters or fewer'],
    ['target', '', 'Enter who the petition is addressed to'],
    ['target', 't'.repeat(201), 'Who the petition is addressed to must be 200 characters or fewer'],
    ['closing_date', '2020-01-01', 'The closing date must be in the future'],
    ['closing_date', '2031-02-30', 'Enter the closing date as a real date'],
    ['response_threshold', 'ten thousand', 'The response milestone must be a whole number'],
    ['custom_milestones', 'Hand it in', 'Line 1 of the other milestones must be a number of signatures'],
    ['custom_milestones', '10000 Same as the response one', 'Each milestone needs a different number of signatures'],
  ])('refuses %s = %j with the field named and the values kept', async (field, value, message) => {
    await organiser.get('/admin/petitions/new');
    const before = await t.ctx.db.selectFrom('petitions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const response = await organiser.post('/admin/petitions/new', petitionFields(groupA, { [field]: value }));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain(`href="#field-${field}"`);
    expect(response.body).toContain(message);
    // What was typed comes back, including the bad value, and the chosen group stays ticked.
    expect(response.body).toContain(field === 'background' ? 'Ashworth and District Integrated Care Board' : 'The trust plans to move births 40 miles away.');
    if (value.trim()) expect(response.body).toContain(value);
    expect(response.body).toMatch(new RegExp(`value="${groupA}"\\s+checked`));
    const after = await t.ctx.db.selectFrom('petitions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('accepts an action of exactly 80 characters', async () => {
    await organiser.get('/admin/petitions/new');
    const id = await createdId(await organiser.post('/admin/petitions/new', petitionFields(groupA, { action: 'x'.repeat(80) })));
    expect((await findPetition(t.ctx.db, id))!.action).toHaveLength(80);
  });

  it('refuses a group the organiser does not organise for', async () => {
    await organiser.get('/admin/petitions/new');
    const response = await organiser.post('/admin/petitions/new', petitionFields(groupB, { action: 'Sneaky petition for another group' }));
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('groups you organise for');
    const made = await t.ctx.db.selectFrom('petitions').select('id').where('action', '=', 'Sneaky petition for another group').execute();
    expect(made).toHaveLength(0);
  });

  it('requires a group', async () => {
    await organiser.get('/admin/petitions/new');
    const response = await organiser.post('/admin/petitions/new', { ...petitionFields(groupA), groups: [] });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Choose at least one group');
  });

  it('does not let moderators start petitions', async () => {
    expect((await moderator.get('/admin/petitions/new')).statusCode).toBe(403);
    await moderator.get('/admin/petitions');
    expect((await moderator.post('/admin/petitions/new', petitionFields(groupA))).statusCode).toBe(403);
  });

  it('stores an image with its description, and asks for a description when it is missing', async () => {
    await organiser.get('/admin/petitions/new');
    const fields = petitionFields(groupA, { action: 'Save the Ashworth birth centre' }) as Record<string, string>;
    const missing = await organiser.postMultipart('/admin/petitions/new', fields, { image: { filename: 'rally.png', type: 'image/png', data: PNG } });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Enter a description of the image');
    expect(missing.body).toContain('value="Save the Ashworth birth centre"');

    const stored = await organiser.postMultipart(
      '/admin/petitions/new',
      { ...fields, image_alt: 'Parents and midwives outside the birth centre' },
      { image: { filename: 'rally.png', type: 'image/png', data: PNG } },
    );
    const petition = (await findPetition(t.ctx.db, await createdId(stored)))!;
    expect(petition.imageAlt).toBe('Parents and midwives outside the birth centre');
    const image = await organiser.get(petition.imageUrl!);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
  });

  it('saves without an image when the file box is left empty, as browsers send it', async () => {
    await organiser.get('/admin/petitions/new');
    const response = await organiser.postMultipart('/admin/petitions/new', petitionFields(groupA, { action: 'No picture needed' }) as Record<string, string>, {
      image: { filename: '', type: 'application/octet-stream', data: Buffer.alloc(0) },
    });
    const petition = (await findPetition(t.ctx.db, await createdId(response)))!;
    expect(petition.imageUrl).toBeNull();
  });

  it('refuses a file that is not an image, naming the image field', async () => {
    await organiser.get('/admin/petitions/new');
    const response = await organiser.postMultipart(
      '/admin/petitions/new',
      { ...(petitionFields(groupA) as Record<string, string>), image_alt: 'A picture' },
      { image: { filename: 'notes.png', type: 'image/png', data: Buffer.from('not really a picture') } },
    );
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('href="#field-image"');
    expect(response.body).toContain('The image must be a PNG, JPEG, WebP or GIF file');
  });

  it('cannot upload a share image smaller than 600 × 315: 422 naming the image field, on the new and the edit form', async () => {
    await organiser.get('/admin/petitions/new');
    const fields = { ...(petitionFields(groupA, { action: 'A petition with a small picture' }) as Record<string, string>), image_alt: 'A picture' };
    for (const [width, height] of [[599, 315], [600, 314], [40, 40]] as const) {
      const refused = await organiser.postMultipart('/admin/petitions/new', fields, { image: { filename: 'small.png', type: 'image/png', data: png(width, height) } });
      expect(refused.statusCode, `${width}x${height}`).toBe(422);
      expect(refused.body).toContain('href="#field-image"');
      expect(refused.body).toContain(`The image must be at least 600 × 315 pixels so it shows when the page is shared (this one is ${width} × ${height})`);
    }
    // A header that gives no size (a PNG without its IHDR) is refused too, not stored unmeasured.
    const unreadable = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const refused = await organiser.postMultipart('/admin/petitions/new', fields, { image: { filename: 'odd.png', type: 'image/png', data: unreadable } });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('The image could not be read');

    const id = await createdId(await organiser.postMultipart('/admin/petitions/new', fields, { image: { filename: 'ok.png', type: 'image/png', data: png(600, 315) } }));
    expect((await findPetition(t.ctx.db, id))!.imageUrl).not.toBeNull();
    await organiser.get(`/admin/petitions/${id}/edit`);
    const edit = await organiser.postMultipart(`/admin/petitions/${id}/edit`, fields, { image: { filename: 'small.png', type: 'image/png', data: png(300, 300) } });
    expect(edit.statusCode).toBe(422);
    expect(edit.body).toContain('href="#field-image"');
    expect(edit.body).toContain('(this one is 300 × 300)');
  });
});
