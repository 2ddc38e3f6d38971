import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capabilities } from '../src/capabilities.ts';
import { makeGroup } from '../src/api/test-support.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { signedInAgent } from './support/organisers.ts';

/** Every admin area, whoever may use it: the capabilities' menu entries and the platform's mail viewer. */
const areas = [...new Set([...capabilities.flatMap((c) => (c.adminNav ?? []).map((e) => e.href)), '/admin/mail'])];

let t: TestApp;
let group = 0;
beforeAll(async () => {
  t = await createTestApp();
  group = await makeGroup(t, 'Menu Group');
});
afterAll(() => t.close());

const menuOf = (body: string) => {
  const nav = /<nav aria-label="Organiser">([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? '';
  return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
};

describe('the organiser menu', () => {
  for (const role of ['admin', 'organiser', 'moderator'] as const) {
    it(`shows ${role === 'admin' ? 'an' : 'a'} ${role} every area that works for them, and only those`, async () => {
      const { agent } = await signedInAgent(t.app, t.ctx, { role, groupIds: role === 'admin' ? [] : [group] });
      const menu = menuOf((await agent.get('/admin')).body);
      expect(menu.length).toBeGreaterThan(0);
      for (const href of areas) {
        const status = (await agent.get(href)).statusCode;
        if (menu.includes(href)) expect(status, `${role} menu links ${href}`).toBe(200);
        else expect(status, `${role} can use ${href} but the menu hides it`).not.toBe(200);
      }
    });
  }
});
