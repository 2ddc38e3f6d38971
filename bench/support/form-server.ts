/**
 * The HTTP ceiling for signing: a bare Node `http` server, run as its own process, that reads
 * the whole urlencoded body of each POST, parses it as the sign route does (name, email,
 * postcode, country) and answers 303 to a thank-you address, as the sign route does. No
 * framework, no database: what this machine can do for a form post at all.
 */
import http from 'node:http';

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const ok = form.get('name') && form.get('email') && (form.get('postcode') || form.get('country'));
    if (!ok) {
      res.writeHead(422, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('name, email and postcode are required');
      return;
    }
    res.writeHead(303, { location: `${req.url ?? '/'}/thank-you?outcome=signed`, 'content-length': 0 });
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
