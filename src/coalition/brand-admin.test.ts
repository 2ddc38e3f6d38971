import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../test/support/agent.ts';
import { createTestApp, type TestApp } from '../../test/support/app.ts';
import { signedInAgent } from '../../test/support/organisers.ts';
import { readBrand } from './brand.ts';
import { contrastRatio } from './contrast.ts';
import { tinyPng } from './test-support.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInAgent>>;

const brandFields = (overrides: Record<string, string> = {}) => ({
  name: 'Health Together',
  tagline: 'Standing up for a public NHS.',
  primaryColour: '#1d3557',
  primaryTextColour: '#ffffff',
  accentColour: '#e63946',
  ...overrides,
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInAgent(t.app, t.ctx, { role: 'admin' });
});
afterAll(() => t.close());

describe('contrast ratio (WCAG 2)', () => {
  it('matches the published values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 on white is the well-known lightest grey that passes AA; #777777 just fails.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#ffffff', '#777777')).toBeLessThan(4.5);
    expect(contrastRatio('#005eb8', '#ffffff')).toBeCloseTo(6.38, 2);
  });
});

describe('brand settings', () => {
  it('saves the brand, audits it, and the home page, layout and brand.css show it at once', async () => {
    await admin.agent.get('/admin/brand');
    const res = await admin.agent.postMultipart('/admin/brand', brandFields(), { logo: { filename: 'logo.png', type: 'image/png', data: tinyPng() } });
    expect(res.statusCode).toBe(303);
    expect((await admin.agent.get(res.headers.location as string)).body).toContain('The brand has been saved');

    const home = await new Agent(t.app).get('/');
    expect(home.body).toContain('<title>Health Together</title>');
    expect(home.body).toContain('<h1 class="hero__title">Health Together</h1>');
    expect(home.body).toContain('Standing up for a public NHS.');
    const logoUrl = (await readBrand(t.ctx.db)).logoUrl!;
    expect(logoUrl).toMatch(/^\/media\//);
    expect(home.body).toMatch(new RegExp(`<img src="${logoUrl}"[^>]* class="site-header__logo"`));
    const cssHref = /href="(\/brand\.css\?v=[^"]+)"/.exec(home.body)![1]!;
    const css = await new Agent(t.app).get(cssHref);
    expect(css.body).toContain('--brand-primary:#1d3557;--brand-primary-text:#ffffff;--brand-accent:#e63946;');

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'brand.update').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(admin.id);
    expect((audit.before as { name: string }).name).toBe('Chorus');
    expect((audit.after as { name: string; primaryColour: string }).primaryColour).toBe('#1d3557');
  });

  it('refuses a text colour that does not stand out from the main colour, naming the field and keeping the values', async () => {
    const before = await readBrand(t.ctx.db);
    await admin.agent.get('/admin/brand');
    const res = await admin.agent.postMultipart('/admin/brand', brandFields({ name: 'Low Contrast', primaryColour: '#ffdd00', primaryTextColour: '#ffffff' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#field-primaryTextColour"');
    expect(res.body).toContain('has a contrast ratio of 1.34:1');
    expect(res.body).toContain('at least 4.5:1');
    expect(res.body).toContain('value="Low Contrast"');
    expect(res.body).toContain('value="#ffdd00"');
    expect((await readBrand(t.ctx.db)).version).toBe(before.version);
    expect((await new Agent(t.app).get('/')).body).not.toContain('Low Contrast');
  });

  it('refuses colours that are not hex codes and an empty name', async () => {
    await admin.agent.get('/admin/brand');
    const res = await admin.agent.postMultipart('/admin/brand', brandFields({ name: ' ', primaryColour: 'blue', accentColour: '#12345' }));
    expect(res.statusCode).toBe(422);
    for (const field of ['name', 'primaryColour', 'accentColour']) expect(res.body).toContain(`href="#field-${field}"`);
    expect(res.body).toContain('Enter the main colour as a hex code like #005eb8');
    expect(res.body).toContain('value="blue"');
  });

  it('answers any typed colours and names with a save or field errors, never a server error', async () => {
    const colour = fc.oneof(fc.stringMatching(/^#?[0-9a-fA-F]{6}$/), fc.string({ unit: 'binary', maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(
        fc.record({ name: fc.string({ unit: 'binary', maxLength: 100 }), tagline: fc.string({ maxLength: 220 }), primaryColour: colour, primaryTextColour: colour, accentColour: colour }),
        async (fields) => {
          await admin.agent.get('/admin/brand');
          expect([303, 422]).toContain((await admin.agent.post('/admin/brand', fields)).statusCode);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('is for coalition admins only', async () => {
    const organiser = await signedInAgent(t.app, t.ctx, { role: 'organiser' });
    expect((await organiser.agent.get('/admin/brand')).statusCode).toBe(403);
    await organiser.agent.get('/admin');
    expect((await organiser.agent.postMultipart('/admin/brand', brandFields({ name: 'Taken Over' }))).statusCode).toBe(403);
    expect((await readBrand(t.ctx.db)).name).not.toBe('Taken Over');
  });
});
