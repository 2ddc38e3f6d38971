import path from 'node:path';
import { z } from 'zod';
import { parseAllowHosts } from './http/outbound-fetch.ts';

/**
 * Settings: every one is an environment variable, validated by zod, documented by its own entry.
 * The platform declares its own here; each capability declares the ones it reads in its
 * `settings.ts` (listed by its manifest, and added to the `Config` type by augmenting
 * `CapabilitySettings` there). The app composes them all from the capability list (src/config.ts).
 */
export interface Setting<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** One line for the README's configuration table. */
  description: string;
}

export type SettingList = Readonly<Record<string, Setting>>;

export const setting = <S extends z.ZodType>(schema: S, description: string): Setting<S> => ({ schema, description });

/** What a list of settings parses to. */
export type SettingValues<L extends SettingList> = { [K in keyof L]: z.output<L[K]['schema']> };

/**
 * The settings capabilities read, by name. Empty here: each capability's `settings.ts` adds its own
 * with `declare module '../platform/config.ts' { interface CapabilitySettings extends ... {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface CapabilitySettings {}

export const booleanSetting = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be a whole number from ${min} to ${max}` })
    .max(max, { message: `must be a whole number from ${min} to ${max}` })
    .default(fallback);

export const positiveInt = (fallback: number, max: number) => wholeNumber(fallback, 1, max);

const port = (fallback: number, min = 1) => wholeNumber(fallback, min, 65535);

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

/** The settings of the shared mechanisms: the server, the database, mail, the worker, logging. */
export const platformSettings = {
  PORT: setting(port(3000), 'Port the web server listens on.'),
  HOST: setting(z.string().min(1, { message: 'must not be empty' }).default('127.0.0.1'), 'Address the web server binds to. Use 0.0.0.0 behind a load balancer or in a container.'),
  BASE_URL: setting(url(['http:', 'https:'], 'an http:// or https:// address').optional(), 'Public address of the hub, used in emails and share links. Defaults to http://localhost:PORT.'),
  DATABASE_URL: setting(
    url(['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// connection string').optional(),
    'PostgreSQL connection string. When set, Chorus uses that server and starts no embedded one.',
  ),
  CHORUS_DATA_DIR: setting(z.string().min(1, { message: 'must not be empty' }).default('./.chorus'), 'Folder for the embedded PostgreSQL cluster and local state (only when DATABASE_URL is unset).'),
  EMBEDDED_PG_PORT: setting(port(0, 0), 'Port for the embedded PostgreSQL on 127.0.0.1; 0 picks a free port.'),
  DB_POOL_SIZE: setting(positiveInt(10, 200), 'Connections each Chorus process keeps open to PostgreSQL.'),
  SMTP_URL: setting(
    url(['smtp:', 'smtps:'], 'an smtp:// or smtps:// address').optional(),
    'SMTP server for outgoing mail, e.g. smtps://user:pass@smtp.example.org:465. Unset: mail is kept in the admin mail viewer.',
  ),
  MAIL_FROM: setting(
    z
      .string()
      .regex(/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, {
        message: 'must be an email address, optionally as "Name <address>"',
      })
      .default('Chorus <no-reply@chorus.localhost>'),
    'From address of outgoing mail.',
  ),
  CHORUS_SECRET: setting(
    z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    'Secret for signing cookies and tokens (32+ characters). Unset: one is generated and kept in the database.',
  ),
  SERVE_WITH_WORKER: setting(booleanSetting.default(true), 'Run the background worker inside `chorus serve`. Set false when you run `chorus worker` separately.'),
  WORKER_CONCURRENCY: setting(positiveInt(4, 100), 'How many jobs one worker process runs at once.'),
  TRUST_PROXY: setting(wholeNumber(0, 0, 10), 'Trust X-Forwarded-For from this many proxy hops (0: none), for real client addresses behind a load balancer.'),
  OUTBOUND_ALLOW_HOSTS: setting(
    z
      .string()
      .transform((value, ctx) => {
        const parsed = parseAllowHosts(value);
        if ('hosts' in parsed) return parsed.hosts;
        ctx.addIssue({ code: 'custom', message: `must be host names or host:port, separated by commas: ${parsed.problem}` });
        return z.NEVER;
      })
      .optional(),
    'Hosts (or host:port) that webhooks may reach although they are not public addresses, e.g. an internal CRM; comma-separated. Unset: only public addresses.',
  ),
  LOG_LEVEL: setting(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    'Log level: fatal, error, warn, info, debug, trace or silent.',
  ),
} satisfies SettingList;

type PlatformValues = SettingValues<typeof platformSettings>;

export interface PlatformConfig extends Omit<PlatformValues, 'BASE_URL' | 'CHORUS_DATA_DIR'> {
  BASE_URL: string;
  CHORUS_DATA_DIR: string;
}

/** Every setting, as the app read it: the platform's and each capability's. */
export type Config = PlatformConfig & CapabilitySettings;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration problem:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Secrets and connection strings are never echoed back in an error. */
const SECRET_SETTINGS = new Set(['CHORUS_SECRET', 'DATABASE_URL', 'SMTP_URL', 'STORIES_KEY', 'STORIES_OLD_KEYS']);

/** Reads and validates `settings` from `env`; throws ConfigError naming each bad variable. */
export function readSettings(env: NodeJS.ProcessEnv, settings: SettingList): Config {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(settings)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const schema = z.object(Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, s.schema])));
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'setting');
        const got = raw[name];
        const shown = SECRET_SETTINGS.has(name) ? '' : ` (got "${got}")`;
        return `${name} ${issue.message}${got === undefined ? '' : shown}`;
      }),
    );
  }
  const parsed = result.data as unknown as PlatformValues & CapabilitySettings;
  return {
    ...parsed,
    BASE_URL: (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, ''),
    CHORUS_DATA_DIR: path.resolve(parsed.CHORUS_DATA_DIR),
  };
}
