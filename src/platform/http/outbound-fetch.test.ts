import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { addressRefusal, isPublicAddress, outboundFetch, OutboundRefusedError, parseAllowHosts, refusedAtEntry } from './outbound-fetch.ts';

/** The IPv4 blocks that are not public, written out independently of the classifier. */
const REFUSED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const toInt = (ip: string) => ip.split('.').reduce((n, b) => n * 256 + Number(b), 0);
const toIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const inBlock = (n: number, [base, bits]: [string, number]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(toInt(base) / 2 ** (32 - bits));
const refusedByList = (n: number) => REFUSED_V4.some((block) => inBlock(n, block));
const hex = (n: number) => `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;

const anyV4 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const inside = ([base, bits]: [string, number]) => fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => toInt(base) + offset);

describe('the address classifier', () => {
  it('refuses every IPv4 address in the blocks that are not public, and nothing else', () => {
    fc.assert(
      fc.property(anyV4, (n) => {
        expect(isPublicAddress(toIp(n)), toIp(n)).toBe(!refusedByList(n));
      }),
      { numRuns: 20_000 },
    );
    for (const block of REFUSED_V4) {
      fc.assert(fc.property(inside(block), (n) => !isPublicAddress(toIp(n))), { numRuns: 500 });
    }
  });

  it('names what a refused IPv4 address is', () => {
    fc.assert(fc.property(inside(['127.0.0.0', 8]), (n) => addressRefusal(toIp(n)) === 'loopback'));
    fc.assert(fc.property(fc.constantFrom<[string, number]>(['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]).chain(inside), (n) => addressRefusal(toIp(n)) === 'private'));
    fc.assert(fc.property(inside(['169.254.0.0', 16]), (n) => addressRefusal(toIp(n)) === 'link-local'));
    fc.assert(fc.property(inside(['100.64.0.0', 10]), (n) => addressRefusal(toIp(n)) === 'shared'));
    fc.assert(fc.property(inside(['224.0.0.0', 4]), (n) => addressRefusal(toIp(n)) === 'multicast'));
    expect(addressRefusal('169.254.169.254')).toBe('link-local');
    expect(addressRefusal('0.0.0.0')).toBe('unspecified');
    expect(addressRefusal('255.255.255.255')).toBe('broadcast');
    expect(addressRefusal('8.8.8.8')).toBeNull();
  });

  it('gives an IPv4 address written as IPv6 (mapped, compatible, NAT64, 6to4) the IPv4 verdict', () => {
    fc.assert(
      fc.property(anyV4, (n) => {
        const ip = toIp(n);
        const expected = isPublicAddress(ip);
        expect(isPublicAddress(`::ffff:${ip}`), `::ffff:${ip}`).toBe(expected);
        expect(isPublicAddress(`::ffff:${hex(n)}`), `::ffff:${hex(n)}`).toBe(expected);
        expect(isPublicAddress(`64:ff9b::${ip}`), `64:ff9b::${ip}`).toBe(expected);
        expect(isPublicAddress(`2002:${hex(n)}::1`), `2002:${hex(n)}::1`).toBe(expected);
        expect(isPublicAddress(`::${ip}`), `::${ip}`).toBe(false);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses the IPv6 addresses that are not public', () => {
    for (const ip of ['::', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'ff02::1', 'ff05::2', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1', '2002:7f00:1::', '2002:c0a8:101::1', '2001::1', '2001:db8::1', '100::1', '3fff::1', 'not-an-address', '1.2.3', '::ffff:1.2.3.256']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['2a00:1450:4009:81f::200e', '2606:4700:4700::1111', '2002:0808:0808::1', '64:ff9b::8.8.8.8', '::ffff:8.8.8.8', '2001:4860:4860::8888']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
  });

  it('refuses literal and localhost addresses as they are entered, unless allowed', () => {
    for (const address of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://localhost:3000/', 'http://a.localhost/', 'http://[::ffff:127.0.0.1]/']) {
      expect(refusedAtEntry(new URL(address), []), address).toBe(true);
    }
    expect(refusedAtEntry(new URL('https://crm.example.org/hook'), [])).toBe(false);
    expect(refusedAtEntry(new URL('http://8.8.8.8/'), [])).toBe(false);
    expect(refusedAtEntry(new URL('http://127.0.0.1:8080/'), ['127.0.0.1'])).toBe(false);
    expect(refusedAtEntry(new URL('http://127.0.0.1:8080/'), ['127.0.0.1:8080'])).toBe(false);
    expect(refusedAtEntry(new URL('http://127.0.0.1:9090/'), ['127.0.0.1:8080'])).toBe(true);
    expect(refusedAtEntry(new URL('http://[::1]:8080/'), ['[::1]:8080'])).toBe(false);
  });

  it('reads the allow-list setting, and names a bad entry', () => {
    expect(parseAllowHosts('crm.internal, 10.0.0.5:8080 ,[::1]:9000,')).toEqual({ hosts: ['crm.internal', '10.0.0.5:8080', '[::1]:9000'] });
    expect(parseAllowHosts('crm.internal,http://x/')).toEqual({ problem: '"http://x/" is not a host name or host:port' });
    expect(parseAllowHosts('host:99999')).toMatchObject({ problem: expect.stringContaining('host:99999') });
  });
});

describe('outboundFetch', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function serve(host: string, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return (server.address() as AddressInfo).port;
  }

  it('cannot reach a loopback receiver without the allow-list, and reaches it with it', async () => {
    const seen: string[] = [];
    const port = await serve('127.0.0.1', (req, res) => {
      seen.push(req.method!);
      res.end('hello');
    });
    await expect(outboundFetch(`http://127.0.0.1:${port}/`, { allowHosts: [] })).rejects.toThrow(OutboundRefusedError);
    // A name that resolves to loopback is refused too (resolved when the request is made).
    await expect(outboundFetch(`http://localhost:${port}/`, { allowHosts: [] })).rejects.toThrow(OutboundRefusedError);
    await expect(outboundFetch(`http://[::ffff:127.0.0.1]:${port}/`, { allowHosts: [] })).rejects.toThrow('refused: not a public address');
    expect(seen).toEqual([]);
    const answer = await outboundFetch(`http://127.0.0.1:${port}/`, { allowHosts: [`127.0.0.1:${port}`] });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('hello');
    expect(seen).toEqual(['GET']);
  });

  it('cannot tell a name that does not exist from one that resolves to a private address', async () => {
    const missing = await outboundFetch('http://no-such-host.invalid/', { allowHosts: [] }).catch((error: unknown) => error);
    const internal = await outboundFetch('http://localhost/', { allowHosts: [] }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OutboundRefusedError);
    expect(internal).toBeInstanceOf(OutboundRefusedError);
    expect(String(missing)).toBe(String(internal));
    // A self-hoster's allowed host that does not resolve still says why.
    await expect(outboundFetch('http://no-such-host.invalid/', { allowHosts: ['no-such-host.invalid'] })).rejects.not.toThrow(OutboundRefusedError);
  });

  it('cannot be redirected from an allowed host to a refused one', async () => {
    const refusedHits: string[] = [];
    const refusedPort = await serve('127.0.0.2', (req, res) => {
      refusedHits.push(req.url!);
      res.end('internal');
    });
    const port = await serve('127.0.0.1', (req, res) => {
      if (req.url === '/to-refused') res.writeHead(307, { location: `http://127.0.0.2:${refusedPort}/secret` }).end();
      else if (req.url === '/to-localhost') res.writeHead(302, { location: `http://localhost:${refusedPort}/secret` }).end();
      else if (req.url === '/to-self') res.writeHead(308, { location: '/landed' }).end();
      else res.end(`landed ${req.method}`);
    });
    const allowHosts = ['127.0.0.1'];
    await expect(outboundFetch(`http://127.0.0.1:${port}/to-refused`, { allowHosts, method: 'POST', body: '{}' })).rejects.toThrow(OutboundRefusedError);
    await expect(outboundFetch(`http://127.0.0.1:${port}/to-localhost`, { allowHosts })).rejects.toThrow(OutboundRefusedError);
    expect(refusedHits).toEqual([]);
    // A redirect within the allowed host is followed, keeping the method for a 308.
    const landed = await outboundFetch(`http://127.0.0.1:${port}/to-self`, { allowHosts, method: 'POST', body: '{}' });
    expect(landed.body.toString()).toBe('landed POST');
  });

  it('stops after a few redirects, cuts a big answer, and gives up on a silent one', async () => {
    let hops = 0;
    const port = await serve('127.0.0.1', (req, res) => {
      if (req.url === '/loop') {
        hops++;
        res.writeHead(302, { location: '/loop' }).end();
      } else if (req.url === '/big') res.end(Buffer.alloc(5 * 1024 * 1024, 'x'));
      // '/silent' never answers.
    });
    const allowHosts = ['127.0.0.1'];
    const looped = await outboundFetch(`http://127.0.0.1:${port}/loop`, { allowHosts, maxRedirects: 5 });
    expect(looped.status).toBe(302);
    expect(hops).toBe(6);
    const big = await outboundFetch(`http://127.0.0.1:${port}/big`, { allowHosts, maxBytes: 1000 });
    expect(big.body.length).toBe(1000);
    expect(big.truncated).toBe(true);
    const started = Date.now();
    await expect(outboundFetch(`http://127.0.0.1:${port}/silent`, { allowHosts, timeoutMs: 300 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
