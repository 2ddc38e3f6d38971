/**
 * The HTTP ceiling for signing: a bare Node `http` server, run as its own process, that reads
 * the whole urlencoded body of each POST, parses it as the sign route does (name, email,
 * postcode, country) and answers 303 to a thank-you address, as the sign route does. No
 * framework, no database: what this machine can do for a form post at all.
 *
 * For other forms: REQUIRED_FIELDS (comma-separated: each must be present and non-empty) and
 * REDIRECT_TO (the 303's Location), e.g. the booking form's `name,email,tier,places` and
 * `/events/1-slug/booked`.
 */
import http from 'node:http';

const required = process.env.REQUIRED_FIELDS?.split(',').filter(Boolean);
const redirectTo = process.env.REDIRECT_TO;

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
    const ok = required ? required.every((field) => form.get(field)) : form.get('name') && form.get('email') && (form.get('postcode') || form.get('country'));
    if (!ok) {
      res.writeHead(422, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${required ? required.join(', ') : 'name, email and postcode'} are required`);
      return;
    }
    res.writeHead(303, { location: redirectTo ?? `${req.url ?? '/'}/thank-you?outcome=signed`, 'content-length': 0 });
    res.end();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
