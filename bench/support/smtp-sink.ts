/**
 * A local SMTP sink for benchmarks, run as its own process: accepts every message, counts them per
 * recipient, and answers GET /stats on an HTTP port with the counts (to check exactly-once).
 */
import http from 'node:http';
import { SMTPServer } from 'smtp-server';

const perRecipient = new Map<string, number>();
let messages = 0;
let firstAt = 0;
let lastAt = 0;

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 1024 * 1024,
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      messages++;
      lastAt = Date.now();
      if (!firstAt) firstAt = lastAt;
      for (const r of session.envelope.rcptTo) perRecipient.set(r.address, (perRecipient.get(r.address) ?? 0) + 1);
      callback();
    });
  },
});

const stats = http.createServer((_req, res) => {
  let duplicates = 0;
  for (const n of perRecipient.values()) if (n > 1) duplicates += n - 1;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ messages, recipients: perRecipient.size, duplicates, firstAt, lastAt }));
});

smtp.listen(Number(process.env.SMTP_PORT ?? 0), '127.0.0.1', () => {
  stats.listen(Number(process.env.STATS_PORT ?? 0), '127.0.0.1', () => {
    const s = smtp.server.address();
    const h = stats.address();
    process.stdout.write(`smtp ${typeof s === 'object' && s ? s.port : 0} stats ${typeof h === 'object' && h ? h.port : 0}\n`);
  });
});
process.on('SIGTERM', () => process.exit(0));
