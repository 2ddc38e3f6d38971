/** The baseline: a bare Node `http` server answering a constant, run as its own process. */
import http from 'node:http';

// BODY_BYTES: answer that many bytes instead (to see what a page-sized body costs on its own);
// RANDOM=1: random bytes, like a compressed body (the load generator reads those slower than text).
const size = Number(process.env.BODY_BYTES ?? 0);
const body = size > 0 ? (process.env.RANDOM ? (await import('node:crypto')).randomBytes(size) : Buffer.alloc(size, 'x')) : Buffer.from(JSON.stringify({ signature_count: 123456, updated_at: '2026-11-24T12:00:00Z' }));
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
