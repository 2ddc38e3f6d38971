/**
 * The load generator, run as its own process so it does not share the server's event loop:
 * `tsx bench/support/loadgen.ts '<json options>'`. Prints one JSON line with the results.
 */
import fs from 'node:fs';
import autocannon, { type Request } from 'autocannon';

interface Options {
  url: string;
  method?: 'GET' | 'POST';
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** Signing: each request is a distinct signer (name, email, postcode, client address). */
  sign?: { postcodesFile: string; runId: string; successFile: string };
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;

let postcodes: string[] = [];
if (options.sign) postcodes = fs.readFileSync(options.sign.postcodesFile, 'utf8').split('\n').filter(Boolean);
const successes: string[] = [];
let sequence = 0;

function hex4(): string {
  return Math.floor(Math.random() * 0x10000).toString(16);
}

const instance = autocannon({
  url: options.url,
  method: options.method ?? 'GET',
  connections: options.connections,
  duration: options.durationSeconds,
  headers: options.headers,
  timeout: 10,
  requests: options.sign
    ? [
        {
          method: 'POST',
          setupRequest: (request: Request, context: object) => {
            const ctx = context as Record<string, unknown>;
            const n = sequence++;
            const email = `signer-${options.sign!.runId}-${n}@example.org`;
            ctx.email = email;
            const postcode = postcodes[n % postcodes.length]!;
            const body = new URLSearchParams({ name: `Signer ${n}`, email, postcode, country: 'GB' }).toString();
            return {
              ...request,
              body,
              headers: {
                ...request.headers,
                'content-type': 'application/x-www-form-urlencoded',
                // Each signer comes from their own address (a load balancer in front sets this).
                'x-forwarded-for': `2001:db8:${hex4()}:${hex4()}::${hex4()}`,
              },
            };
          },
          onResponse: (status: number, _body: string, context: object) => {
            if (status >= 200 && status < 400) successes.push(String((context as Record<string, unknown>).email));
          },
        },
      ]
    : undefined,
});

const result = await instance;
if (options.sign) fs.writeFileSync(options.sign.successFile, successes.join('\n'));
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
