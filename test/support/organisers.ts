import type { AppContext } from '../../src/context.ts';
import type { Database } from '../../src/schema.ts';
import { createOrganiser } from '../../src/coalition/organisers.ts';
import type { Role } from '../../src/coalition/tables.ts';
import { Agent } from './agent.ts';
import type { FastifyInstance } from 'fastify';

let counter = 0;

/** Creates an organiser with a password and returns an agent signed in as them. */
export async function signedInAgent(
  app: FastifyInstance,
  ctx: AppContext<Database>,
  props: { role: Role; groupIds?: number[]; email?: string; name?: string } ,
): Promise<{ agent: Agent; id: number; email: string; password: string }> {
  counter++;
  const email = props.email ?? `${props.role}${counter}@example.org`;
  const password = 'correct horse battery staple';
  const id = await createOrganiser(ctx.db, { email, name: props.name ?? `Test ${props.role} ${counter}`, role: props.role, groupIds: props.groupIds, password, actor: 'test' });
  const agent = new Agent(app);
  await agent.get('/sign-in');
  const response = await agent.post('/sign-in', { email, password });
  if (response.statusCode !== 303) throw new Error(`Sign-in failed with ${response.statusCode}`);
  return { agent, id, email, password };
}
