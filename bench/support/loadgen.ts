/**
 * The load generator, run as its own process so it does not share the server's event loop:
 * `tsx bench/support/loadgen.ts '<json options>'`. Prints one JSON line with the results.
 */
import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import autocannon, { type Request } from 'autocannon';

interface Options {
  url: string;
  method?: 'GET' | 'POST';
  connections: number;
  durationSeconds: number;
  /** A fixed number of requests instead of a duration (autocannon's `amount`). */
  amount?: number;
  headers?: Record<string, string>;
  /** Signing: each request is a distinct signer (name, email, postcode, client address). */
  sign?: { postcodesFile: string; runId: string; successFile: string };
  /**
   * Booking: each request is a distinct person booking `places` on the ticket `tier` (every other
   * one ticks "hear more"), from their own client address. A success is a 303 to the booked
   * page; the success file gets one line per success: email, then milliseconds since the start.
   */
  book?: { runId: string; successFile: string; tier: number; places?: number };
  /** GETs that go round these paths (and query strings) of `url`'s origin, one after another. */
  paths?: string[];
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;

let postcodes: string[] = [];
if (options.sign) postcodes = fs.readFileSync(options.sign.postcodesFile, 'utf8').split('\n').filter(Boolean);
const successes: string[] = [];
let sequence = 0;
const startedAt = Date.now();

function hex4(): string {
  return Math.floor(Math.random() * 0x10000).toString(16);
}

/** Each person comes from their own address (a load balancer in front sets this). */
const clientAddress = () => `2001:db8:${hex4()}:${hex4()}::${hex4()}`;

function formPost(request: Request, body: string): Request {
  return {
    ...request,
    body,
    headers: { ...request.headers, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': clientAddress() },
  };
}

const booking: Request[] | undefined = options.book
  ? [
      {
        method: 'POST' as const,
        setupRequest: (request: Request, context: object) => {
          const ctx = context as Record<string, unknown>;
          const n = sequence++;
          const email = `booker-${options.book!.runId}-${n}@example.org`;
          ctx.email = email;
          const fields: Record<string, string> = { name: `Booker ${n}`, email, tier: String(options.book!.tier), places: String(options.book!.places ?? 1), access_needs: '' };
          if (n % 2 === 0) fields.hear_more = 'yes';
          return formPost(request, new URLSearchParams(fields).toString());
        },
        onResponse: (status: number, _body: string, context: object, headers?: IncomingHttpHeaders) => {
          if (status === 303 && String(headers?.location ?? '').endsWith('/booked')) successes.push(`${String((context as Record<string, unknown>).email)}\t${Date.now() - startedAt}`);
        },
      },
    ]
  : undefined;

const rotating: Request[] | undefined = options.paths
  ? [{ method: 'GET' as const, setupRequest: (request: Request) => ({ ...request, path: options.paths![sequence++ % options.paths!.length]! }) }]
  : undefined;

const instance = autocannon({
  url: options.url,
  method: options.method ?? 'GET',
  connections: options.connections,
  duration: options.durationSeconds,
  ...(options.amount ? { amount: options.amount } : {}),
  headers: options.headers,
  timeout: 10,
  requests: rotating ?? booking ?? (options.sign
    ? [
        {
          method: 'POST',
          setupRequest: (request: Request, context: object) => {
            const ctx = context as Record<string, unknown>;
            const n = sequence++;
            const email = `signer-${options.sign!.runId}-${n}@example.org`;
            ctx.email = email;
            const postcode = postcodes[n % postcodes.length]!;
            return formPost(request, new URLSearchParams({ name: `Signer ${n}`, email, postcode, country: 'GB' }).toString());
          },
          onResponse: (status: number, _body: string, context: object) => {
            if (status >= 200 && status < 400) successes.push(String((context as Record<string, unknown>).email));
          },
        },
      ]
    : undefined),
});

const result = await instance;
const successFile = options.sign?.successFile ?? options.book?.successFile;
if (successFile) fs.writeFileSync(successFile, successes.join('\n'));
const codes: Record<string, number> = {};
for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) codes[code] = (stat as { count: number }).count;
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    duration: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    codes,
  }) + '\n',
);
