import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting Chorus reads, from environment variables only. Each entry documents itself:
 * the README's configuration table is checked against this list by a test.
 */
export const settingDocs = {
  PORT: 'Port the web server listens on.',
  HOST: 'Address the web server binds to. Use 0.0.0.0 behind a load balancer or in a container.',
  BASE_URL: 'Public address of the hub, used in emails and share links. Defaults to http://localhost:PORT.',
  DATABASE_URL: 'PostgreSQL connection string. When set, Chorus uses that server and starts no embedded one.',
  CHORUS_DATA_DIR: 'Folder for the embedded PostgreSQL cluster and local state (only when DATABASE_URL is unset).',
  EMBEDDED_PG_PORT: 'Port for the embedded PostgreSQL on 127.0.0.1; 0 picks a free port.',
  DB_POOL_SIZE: 'Connections each Chorus process keeps open to PostgreSQL.',
  SMTP_URL: 'SMTP server for outgoing mail, e.g. smtps://user:pass@smtp.example.org:465. Unset: mail is kept in the admin mail viewer.',
  MAIL_FROM: 'From address of outgoing mail.',
  CHORUS_SECRET: 'Secret for signing cookies and tokens (32+ characters). Unset: one is generated and kept in the database.',
  SERVE_WITH_WORKER: 'Run the background worker inside `chorus serve`. Set false when you run `chorus worker` separately.',
  WORKER_CONCURRENCY: 'How many jobs one worker process runs at once.',
  TRUST_PROXY: 'Trust X-Forwarded-For from this many proxy hops (0: none), for real client addresses behind a load balancer.',
  LOG_LEVEL: 'Log level: fatal, error, warn, info, debug, trace or silent.',
  SIGN_IN_MAX_FAILURES: 'Failed sign-ins for one email address within 15 minutes before sign-in is paused for it.',
  UNCONFIRMED_SIGNATURE_DAYS: 'Days after which petition signatures nobody confirmed are deleted.',
  SIGN_RATE_BURST: 'Signatures one address may make on one petition per burst period before further ones are held as suspect.',
  SIGN_RATE_BURST_SECONDS: 'The burst period, in seconds.',
  SIGN_RATE_SUSTAINED: 'Signatures one address may make on one petition per sustained period before further ones are held.',
  SIGN_RATE_SUSTAINED_SECONDS: 'The sustained period, in seconds.',
  MAILING_RATE: 'Fastest a mailing may be sent, in messages per second (each mailing can be set slower); also the default speed.',
} as const;

export type SettingName = keyof typeof settingDocs;

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (fallback: number, min = 1) =>
  z.coerce
    .number({ message: `must be a whole number from ${min} to 65535` })
    .int({ message: `must be a whole number from ${min} to 65535` })
    .min(min, { message: `must be a whole number from ${min} to 65535` })
    .max(65535, { message: `must be a whole number from ${min} to 65535` })
    .default(fallback);

const positiveInt = (fallback: number, max: number) =>
  z.coerce
    .number({ message: `must be a whole number from 1 to ${max}` })
    .int({ message: `must be a whole number from 1 to ${max}` })
    .min(1, { message: `must be a whole number from 1 to ${max}` })
    .max(max, { message: `must be a whole number from 1 to ${max}` })
    .default(fallback);

const url = (protocols: string[], what: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be ${what}` },
  );

const schema = z.object({
  PORT: port(3000),
  HOST: z.string().min(1, { message: 'must not be empty' }).default('127.0.0.1'),
  BASE_URL: url(['http:', 'https:'], 'an http:// or https:// address').optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// connection string').optional(),
  CHORUS_DATA_DIR: z.string().min(1, { message: 'must not be empty' }).default('./.chorus'),
  EMBEDDED_PG_PORT: port(0, 0),
  DB_POOL_SIZE: positiveInt(10, 200),
  SMTP_URL: url(['smtp:', 'smtps:'], 'an smtp:// or smtps:// address').optional(),
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, {
      message: 'must be an email address, optionally as "Name <address>"',
    })
    .default('Chorus <no-reply@chorus.localhost>'),
  CHORUS_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  SERVE_WITH_WORKER: boolean.default(true),
  WORKER_CONCURRENCY: positiveInt(4, 100),
  TRUST_PROXY: z.coerce
    .number({ message: 'must be a whole number from 0 to 10' })
    .int({ message: 'must be a whole number from 0 to 10' })
    .min(0, { message: 'must be a whole number from 0 to 10' })
    .max(10, { message: 'must be a whole number from 0 to 10' })
    .default(0),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SIGN_IN_MAX_FAILURES: positiveInt(5, 100),
  UNCONFIRMED_SIGNATURE_DAYS: positiveInt(14, 365),
  SIGN_RATE_BURST: positiveInt(1, 100_000),
  SIGN_RATE_BURST_SECONDS: positiveInt(60, 86_400),
  SIGN_RATE_SUSTAINED: positiveInt(5, 100_000),
  SIGN_RATE_SUSTAINED_SECONDS: positiveInt(300, 86_400),
  MAILING_RATE: positiveInt(100, 100_000),
});

type Parsed = z.infer<typeof schema>;

export interface Config extends Omit<Parsed, 'BASE_URL' | 'CHORUS_DATA_DIR'> {
  BASE_URL: string;
  CHORUS_DATA_DIR: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration problem:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates settings; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(settingDocs)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'setting');
        const got = raw[name];
        const shown = name === 'CHORUS_SECRET' || name === 'DATABASE_URL' || name === 'SMTP_URL' ? '' : ` (got "${got}")`;
        return `${name} ${issue.message}${got === undefined ? '' : shown}`;
      }),
    );
  }
  const parsed = result.data;
  return {
    ...parsed,
    BASE_URL: (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, ''),
    CHORUS_DATA_DIR: path.resolve(parsed.CHORUS_DATA_DIR),
  };
}
