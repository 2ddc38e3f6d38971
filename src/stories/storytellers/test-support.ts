import { expect } from 'vitest';
import type { Agent } from '../../../test/support/agent.ts';
import type { TestApp } from '../../../test/support/app.ts';

let serial = 0;

export async function addTopic(t: TestApp, name = `Topic ${++serial}`): Promise<number> {
  const row = await t.ctx.db.insertInto('speaking_topics').values({ name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Adds a storyteller through the form as this organiser and returns their public id. */
export async function addStorytellerVia(agent: Agent, fields: { name: string; email: string; phone?: string; postcode?: string; groups: number[]; topics: number[] }): Promise<string> {
  await agent.get('/admin/storytellers/new');
  const res = await agent.post('/admin/storytellers/new', { name: fields.name, email: fields.email, phone: fields.phone ?? '', postcode: fields.postcode ?? '', groups: fields.groups.map(String), topics: fields.topics.map(String) });
  expect(res.statusCode, res.body).toBe(303);
  return /\/admin\/storytellers\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
}

/** Walks a storyteller to ready: consent recorded, a training session attended, marked ready. */
export async function makeReady(agent: Agent, publicId: string): Promise<void> {
  await agent.get(`/admin/storytellers/${publicId}`);
  expect((await agent.post(`/admin/storytellers/${publicId}/stage`, { to: 'consented' })).statusCode).toBe(303);
  await agent.get('/admin/storytellers/training');
  const session = await agent.post('/admin/storytellers/training', { title: `Media training ${++serial}`, date: '2027-02-01' });
  expect(session.statusCode, session.body).toBe(303);
  const sessionPath = (session.headers.location as string).split('?')[0]!;
  await agent.get(sessionPath);
  expect((await agent.post(`${sessionPath}/attendance`, { attended: publicId })).statusCode).toBe(303);
  await agent.get(`/admin/storytellers/${publicId}`);
  expect((await agent.post(`/admin/storytellers/${publicId}/stage`, { to: 'ready' })).statusCode).toBe(303);
}

export async function addOpportunityVia(agent: Agent, fields: Record<string, string>): Promise<number> {
  await agent.get('/admin/opportunities/new');
  const res = await agent.post('/admin/opportunities/new', { kind: 'press', requester: 'Jo Newsdesk, jo@news.example.org', outlet: 'BBC Points West', wanted: 'A parent whose child waited for care', deadline: '2027-03-05', ...fields });
  expect(res.statusCode, res.body).toBe(303);
  return Number(/\/admin\/opportunities\/(\d+)/.exec(res.headers.location as string)![1]);
}

/** The yes/no link's token from the email queued for this address (kept apart from the body until sent). */
export async function askTokenFor(t: TestApp, email: string): Promise<string> {
  const row = await t.ctx.db.selectFrom('outbound_emails').select(['secrets', 'text_body']).where('kind', '=', 'stories.storyteller.ask').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const secrets = (typeof row.secrets === 'string' ? JSON.parse(row.secrets) : row.secrets) as string[];
  return secrets[0]!;
}
