import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP sink in its own process: accepts every message, counts messages and distinct
 * recipients (to catch duplicates at scale), keeps nothing. The parent talks to it over IPC:
 * it sends { port } once listening, and answers 'count' with { count, distinct, rssMb }.
 */
let count = 0;
const recipients = new Set<string>();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      count++;
      for (const r of session.envelope.rcptTo) recipients.add(r.address);
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (message) => {
  if (message === 'count') process.send?.({ count, distinct: recipients.size, rssMb: process.memoryUsage().rss / 1048576, cpu: process.cpuUsage() });
  if (message === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
