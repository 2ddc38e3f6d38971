import { describe, expect, it } from 'vitest';
import { withoutEmailAddresses } from './log-safety.ts';

describe('log lines', () => {
  it('lose every email address, wherever it sits in the JSON line, and stay valid JSON', () => {
    const line = JSON.stringify({
      level: 50,
      msg: "Failed task 2 (platform.email.send) with error 'Message failed: 451 4.2.1 <busy.ada+tag@mail.example.org>: mailbox busy':\n  Error: ...",
      err: { message: 'to\nBob.Smith@Example.CO.UK\tand "cy@example.org"', stack: 'at file:///srv/node_modules/@fastify/cookie/plugin.js:12' },
    });
    const safe = withoutEmailAddresses(line);
    expect(safe).not.toMatch(/ada|bob\.smith|cy@/i);
    const parsed = JSON.parse(safe);
    expect(parsed.msg).toContain('<[email address]>: mailbox busy');
    expect(parsed.err.message).toBe('to\n[email address]\tand "[email address]"');
    expect(parsed.err.stack).toContain('node_modules/@fastify/cookie/plugin.js');
  });

  it('leave package versions and lines without an address as they are', () => {
    expect(withoutEmailAddresses('graphile-worker@0.16.6 started')).toBe('graphile-worker@0.16.6 started');
    expect(withoutEmailAddresses('{"msg":"request completed"}')).toBe('{"msg":"request completed"}');
  });
});
