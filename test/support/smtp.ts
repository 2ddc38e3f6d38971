import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  raw: string;
}

export interface SmtpSinkOptions {
  /**
   * Decides each message's fate before it is accepted: return an SMTP reply code and message to
   * refuse it (4xx temporary, 5xx permanent), or undefined to accept it.
   */
  refuse?: (recipients: string[]) => { code: number; message: string } | undefined;
  /**
   * A slow server: waits this long before accepting each message. A message whose client hangs
   * up meanwhile is not kept (it was never acknowledged, so a real server would not deliver it).
   */
  acceptDelayMs?: number;
  /** Refuses the sender address (MAIL FROM) with this reply, e.g. 553 for a sender we may not use. */
  refuseSender?: (from: string) => { code: number; message: string } | undefined;
}

/**
 * A real SMTP server on loopback that keeps what it receives, parsed. Point SMTP_URL at `url`.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private waiters: Array<{ test: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }> = [];
  private server: SMTPServer;
  private port = 0;
  private closedSessions = new Set<string>();

  constructor(private readonly options: SmtpSinkOptions = {}) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onMailFrom: (address, _session, callback) => {
        const refusal = this.options.refuseSender?.(address.address);
        if (!refusal) return callback();
        const error = new Error(refusal.message) as Error & { responseCode: number };
        error.responseCode = refusal.code;
        callback(error);
      },
      onClose: (session: SMTPServerSession) => {
        this.closedSessions.add(session.id);
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) => {
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refusal = this.options.refuse?.(recipients);
          if (refusal) {
            const error = new Error(refusal.message) as Error & { responseCode: number };
            error.responseCode = refusal.code;
            return callback(error);
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const delay = this.options.acceptDelayMs ?? 0;
          const accept = () => simpleParser(raw).then(
            (parsed) => {
              const mail: ReceivedMail = {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: recipients,
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                headers: parsed.headers,
                raw,
              };
              this.messages.push(mail);
              this.waiters = this.waiters.filter((w) => {
                if (!w.test(mail)) return true;
                w.resolve(mail);
                return false;
              });
              callback();
            },
            (error: Error) => callback(error),
          );
          if (delay <= 0) return void accept();
          setTimeout(() => {
            if (this.closedSessions.has(session.id)) return callback(new Error('The client hung up before the message was accepted'));
            void accept();
          }, delay);
        });
      },
    });
    // A client that dies mid-conversation (a killed worker) resets its connection: that is the
    // client's doing, not a failure of the sink, and must not surface as an uncaught error.
    this.server.on('error', () => undefined);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  /** SMTP_URL for Chorus: plain SMTP on loopback (no STARTTLS). */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}/?starttls=off`;
  }

  /** Messages sent to an address (case-insensitive). */
  to(address: string): ReceivedMail[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.to.some((t) => t.toLowerCase() === wanted));
  }

  /** Resolves with the first message (already received or still to come) that passes `test`. */
  waitFor(test: (m: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
    const found = this.messages.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('No matching mail arrived in time')), timeoutMs);
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first web address in a message's text that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const match = mail.text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s<>"]*`));
  if (!match) throw new Error(`No link starting ${prefix} in the mail "${mail.subject}"`);
  return match[0];
}
