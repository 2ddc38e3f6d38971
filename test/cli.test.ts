import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from './support/agent.ts';
import { createTestApp, type TestApp } from './support/app.ts';
import { runChorus } from './support/chorus-process.ts';

// Each case is a real `node bin/chorus.js ...` process; they run side by side to keep this quick.
const neverCreated = path.join(os.tmpdir(), `chorus-cli-unused-${process.pid}`);

describe('chorus --help', () => {
  const commands: Array<[args: string[], usage: string, says: string]> = [
    [[], 'chorus [options] [command]', 'self-hosted campaign hub'],
    [['serve'], 'chorus serve [options]', 'Run the web server'],
    [['worker'], 'chorus worker [options]', 'Run background jobs'],
    [['migrate'], 'chorus migrate [options]', 'Apply database migrations'],
    [['import'], 'chorus import [options] <kind> <file>', 'Import a data file'],
    [['user'], 'chorus user [options] [command]', 'Manage organiser accounts'],
    [['user', 'add'], 'chorus user add [options] <email>', 'Add an organiser account'],
    [['user', 'reset'], 'chorus user reset [options] <email>', 'Print a new one-time sign-in link'],
  ];

  it('describes every command and exits 0', async () => {
    const results = await Promise.all(commands.map(([args]) => runChorus([...args, '--help'], { CHORUS_DATA_DIR: neverCreated })));
    results.forEach((result, i) => {
      const [args, usage, says] = commands[i]!;
      expect(result.code, `chorus ${args.join(' ')} --help`).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe(`Usage: ${usage}`);
      expect(result.stdout).toContain(says);
      expect(result.stderr).toBe('');
    });
    for (const command of ['serve', 'worker', 'migrate', 'import', 'user']) expect(results[0]!.stdout).toContain(`  ${command}`);
    expect(results[1]!.stdout).toContain('--demo');
    expect(results[6]!.stdout).toMatch(/--role <role>\s+what they may do \(choices: "admin", "organiser",\s+"moderator"/);
    expect(fs.existsSync(neverCreated)).toBe(false);
  });
});

describe('a wrong command line', () => {
  const cases: Array<[args: string[], reason: string, usage: string]> = [
    [['bogus'], "error: unknown command 'bogus'", 'chorus [options] [command]'],
    [['user', 'reset'], "error: missing required argument 'email'", 'chorus user reset [options] <email>'],
    [['user', 'add', 'x@y.z', '--name', 'A', '--role', 'king'], "error: option '--role <role>' argument 'king' is invalid. Allowed choices are admin, organiser, moderator.", 'chorus user add [options] <email>'],
    [['user', 'add', 'x@y.z'], "error: required option '--name <name>' not specified", 'chorus user add [options] <email>'],
    [['import', 'nonsense', 'file.csv'], "error: command-argument value 'nonsense' is invalid for argument 'kind'.", 'chorus import [options] <kind> <file>'],
    [['serve', '--dmeo'], "error: unknown option '--dmeo'", 'chorus serve [options]'],
    [['migrate', 'now'], "error: too many arguments for 'migrate'. Expected 0 arguments but got 1.", 'chorus migrate [options]'],
  ];

  it('prints exactly one line saying why, then the usage, on stderr, and exits with code 2', async () => {
    const results = await Promise.all(cases.map(([args]) => runChorus(args, { CHORUS_DATA_DIR: neverCreated })));
    results.forEach((result, i) => {
      const [args, reason, usage] = cases[i]!;
      const lines = result.stderr.trimEnd().split('\n');
      expect(result.code, `chorus ${args.join(' ')}`).toBe(2);
      expect(lines, `chorus ${args.join(' ')}`).toHaveLength(2);
      expect(lines[0]!.startsWith(reason), `${lines[0]} starts with ${reason}`).toBe(true);
      expect(lines[1]).toBe(`Usage: ${usage}`);
      expect(result.stdout).toBe('');
    });
    expect(fs.existsSync(neverCreated)).toBe(false);
  });

  it('with no command, or a group of commands and none of them, says which commands there are, then the usage', async () => {
    const [none, user] = await Promise.all([runChorus([]), runChorus(['user'])]);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n').slice(0, 2)).toEqual(['error: missing command: serve, worker, migrate, import, user or stories', 'Usage: chorus [options] [command]']);
    expect(user.code).toBe(2);
    expect(user.stderr.split('\n').slice(0, 2)).toEqual(['error: missing command: add or reset', 'Usage: chorus user [options] [command]']);
  });
});

describe('a bad setting', () => {
  const cases: Array<[settings: Record<string, string>, message: string, secret?: string]> = [
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535 (got "abc")'],
    [{ DATABASE_URL: 'mysql://chorus:hunter2-db-password@db.example.org/chorus' }, 'DATABASE_URL must be a postgres:// or postgresql:// connection string', 'hunter2-db-password'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ CHORUS_SECRET: 'short-secret-value' }, 'CHORUS_SECRET must be at least 32 characters', 'short-secret-value'],
    [{ SMTP_URL: 'http://user:mail-password@smtp.example.org' }, 'SMTP_URL must be an smtp:// or smtps:// address', 'mail-password'],
    [{ SERVE_WITH_WORKER: 'maybe' }, 'SERVE_WITH_WORKER must be true or false (got "maybe")'],
  ];

  it('stops start-up before doing anything, naming the variable and what it accepts, without echoing secrets (exit code 2)', async () => {
    const results = await Promise.all(cases.map(([settings]) => runChorus(['serve', '--demo'], { CHORUS_DATA_DIR: neverCreated, ...settings })));
    results.forEach((result, i) => {
      const [settings, message, secret] = cases[i]!;
      expect(result.code, JSON.stringify(settings)).toBe(2);
      expect(result.stderr).toContain(message);
      if (secret) expect(result.stderr).not.toContain(secret);
      expect(result.stdout).toBe('');
    });
    expect(fs.existsSync(neverCreated)).toBe(false);
  });

  it('lists every bad setting at once', async () => {
    const result = await runChorus(['migrate'], { PORT: '0', WORKER_CONCURRENCY: 'lots', CHORUS_DATA_DIR: neverCreated });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT must be a whole number from 1 to 65535 (got "0")');
    expect(result.stderr).toContain('WORKER_CONCURRENCY must be a whole number from 1 to 100 (got "lots")');
  });
});

describe('chorus user', () => {
  let t: TestApp;
  let settings: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    settings = { DATABASE_URL: t.database.url, BASE_URL: 'http://chorus.test', LOG_LEVEL: 'warn' };
  });
  afterAll(() => t.close());

  async function useLink(output: string, email: string): Promise<Agent> {
    const link = /http:\/\/chorus\.test(\/sign-in\/link\/[\w-]+)/.exec(output)?.[1];
    expect(link, output).toBeDefined();
    const agent = new Agent(t.app);
    const page = await agent.get(link!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(email);
    const used = await agent.post(link!, {});
    expect(used.statusCode).toBe(303);
    return agent;
  }

  it('`user add` creates the account and prints a one-time sign-in link that signs them in', async () => {
    const added = await runChorus(['user', 'add', 'Sam@Example.org', '--name', 'Sam Moderator', '--role', 'moderator'], settings);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('(moderator)');
    const agent = await useLink(added.stdout, 'Sam@Example.org');
    const choose = await agent.get('/admin/account');
    expect(choose.body).toContain('Choose a password');
    expect(choose.body).toContain('Sam Moderator (moderator)');
  });

  it('`user reset` prints a fresh link for an existing organiser; an unknown address or a second account fails with the reason', async () => {
    const [reset, unknown, duplicate, noGroup] = await Promise.all([
      runChorus(['user', 'reset', 'sam@example.org'], settings),
      runChorus(['user', 'reset', 'nobody@example.org'], settings),
      runChorus(['user', 'add', 'sam@example.org', '--name', 'Sam Again'], settings),
      runChorus(['user', 'add', 'kim@example.org', '--name', 'Kim', '--group', 'no-such-group'], settings),
    ]);
    expect(reset.code, reset.stderr).toBe(0);
    // A lost password: the link sets a new one and signs them in, once.
    const resetLink = /http:\/\/chorus\.test(\/reset-password\/[\w-]+)/.exec(reset.stdout)?.[1];
    expect(resetLink, reset.stdout).toBeDefined();
    const agent = new Agent(t.app);
    expect((await agent.get(resetLink!)).statusCode).toBe(200);
    const chosen = await agent.post(resetLink!, { password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    expect(chosen.statusCode).toBe(303);
    expect((await agent.get('/admin')).statusCode).toBe(200);
    expect((await new Agent(t.app).get(resetLink!)).statusCode).toBe(410);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('chorus: There is no organiser with the email address nobody@example.org');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr.trim()).toBe('chorus: An organiser with this email address already exists');
    expect(noGroup.code).toBe(1);
    expect(noGroup.stderr.trim()).toBe('chorus: There is no group with the slug "no-such-group"');
  });

  it('`serve` on a port already in use says so and how to choose another, and exits with code 1', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const result = await runChorus(['serve'], { ...settings, PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`chorus: Port ${port} on 127.0.0.1 is already in use (another Chorus?). Stop that, or set PORT to another port.`);
    } finally {
      taken.close();
    }
  });
});
