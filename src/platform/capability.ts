import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Config, SettingList } from './config.ts';
import type { MigrationList } from './db/migrate.ts';
import type { Handle, ViewTx } from './db/view.ts';
import type { AuditWords } from './audit-words.ts';
import type { DashboardFigureEntry } from './dashboard-figures.ts';
import type { Importer } from './import-report.ts';
import type { CronEntry, JobDefinition } from './jobs/jobs.ts';
import type { Ticker } from './jobs/ticker.ts';
import type { HearsFromCondition } from './hears-from.ts';
import type { PersonActivity } from './person-activity.ts';
import type { AccessRemovalListener } from './organiser-access.ts';
import type { Viewer } from './web/context.ts';
import type { PageSection } from './web/page-sections.ts';

/**
 * A capability's context as the app hands it over: the capability's own `AppContext` alias (whose
 * `db` sees only its own tables) accepts it, so each manifest can pass its own route and job
 * functions unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every capability's view accepts the app's one context
export type AnyContext = AppContext<any>;

export type Role = Viewer['role'];

/** A link in the public header, in `order` (lower first). */
export interface PublicNavEntry {
  href: string;
  label: string;
  order: number;
}

/** A link in the organisers' navigation and on their dashboard, for the roles that may use it. */
export interface AdminNavEntry {
  href: string;
  label: string;
  /** Lower first: the dashboard and menu list areas in this order. */
  order: number;
  roles: readonly Role[];
  /** What the area is for, shown under the link on the dashboard (may depend on the role). */
  description?: string | ((role: Role) => string);
}

/** Routes a capability adds: pages for the public, pages for organisers, and programs' APIs. */
export interface CapabilityRoutes {
  public?: (app: FastifyInstance, ctx: AnyContext) => void;
  admin?: (app: FastifyInstance, ctx: AnyContext) => void;
  api?: (app: FastifyInstance, ctx: AnyContext) => void;
}

/**
 * Where one capability keeps personal data about a supporter. The registry built from every
 * manifest finds all of it for a subject access request and removes all of it on erasure.
 * `export` returns JSON-able data about that person only; `erase` removes what identifies them
 * while keeping anonymous counts. Both run in the caller's transaction.
 */
export interface PersonalDataProvider {
  /** A short name, used as the key of this data in the export ('petition-signatures'). */
  name: string;
  /** What the data is, for people: 'Petition signatures'. */
  label: string;
  /** The tables (this capability's own) whose personal data this provider exports and erases. */
  tables: readonly string[];
  export(q: Handle, personId: number): Promise<unknown>;
  erase(q: Handle, personId: number): Promise<void>;
  /**
   * How long this data is kept and what removes it, in words an admin can check (shown on the
   * retention page): the job or rule that enforces it, and what stays (anonymous counts).
   */
  retention: string;
  /** Run last on erasure (the record others look at first). */
  eraseLast?: boolean;
}

/**
 * What a table holds: personal data about supporters (covered by a personal-data provider, so
 * subject access and erasure find it), organisers' own account data, or nothing personal.
 */
export type TableHolds = 'supporter' | 'organiser' | 'none';

/** What a capability's demo loader returned, by capability name, for the loaders that depend on it. */
export type DemoFacts = Readonly<Record<string, unknown>>;


/**
 * Everything the app needs from one capability. `src/capabilities.ts` lists every manifest; the
 * app, the CLI, the worker, migrations, the demo and the personal-data registry read that list,
 * so adding a capability is one folder and one line there.
 */
export interface Capability {
  /** The folder name: 'petitions'. */
  name: string;
  /** Capabilities whose exported functions this one calls (their migrations and demo come first). */
  dependsOn: readonly string[];
  /**
   * The tables this capability owns (only its code names them in SQL), each with what it holds:
   * 'supporter' data must be covered by one of its personal-data providers.
   */
  tables: Readonly<Record<string, TableHolds>>;
  migrations: MigrationList;
  /** Request hooks that must run before any route (e.g. the signed-in organiser). */
  hooks?: (app: FastifyInstance, ctx: AnyContext) => void;
  routes?: CapabilityRoutes;
  publicNav?: readonly PublicNavEntry[];
  adminNav?: readonly AdminNavEntry[];
  /** Its audit log entries in words: each action's label or sentence, and its subjects' names. */
  auditWords?: AuditWords;
  /** The kinds of email it sends (the outbox's `kind`), each in words for the mail viewer: 'Signature confirmation'. */
  mailKinds?: Readonly<Record<string, string>>;
  /** Figures at the top of the organiser dashboard, each counted within what the viewer may see. */
  dashboardFigures?: readonly DashboardFigureEntry[];
  /** Parts of the public front page and of each member group's page (`web/page-sections.ts`). */
  pageSections?: readonly PageSection[];
  jobs?: readonly JobDefinition<unknown>[];
  cron?: readonly CronEntry[];
  /** Sub-minute loops every worker process runs (each takes a lock so one runs at a time). */
  tickers?: (ctx: AnyContext) => Ticker[];
  /**
   * Loads this capability's demo content in the demo transaction; gets what the loaders of the
   * capabilities it depends on returned, by their names, and returns what dependants need.
   */
  demo?: (tx: ViewTx<Record<never, never>>, facts: DemoFacts) => Promise<unknown>;
  /** `chorus import <kind> <file>` kinds. */
  importers?: Readonly<Record<string, Importer>>;
  /** Environment settings this capability reads, each with its zod schema and description (its settings.ts). */
  settings?: SettingList;
  /**
   * Runs when a process opens its runtime, before the database: checks what the settings alone
   * cannot (stories: a key is required with DATABASE_URL) and may throw a ConfigError to refuse to start.
   */
  prepare?: (config: Config) => void | Promise<void>;
  personalData?: readonly PersonalDataProvider[];
  /** Withdraws what an organiser made and may no longer manage, when they lose access (`organiser-access.ts`). */
  onAccessRemoved?: AccessRemovalListener;
  /** The capability that owns consent says, as a SQL condition, who agreed to hear from a group (`hears-from.ts`). */
  hearsFrom?: HearsFromCondition;
  /** Its timeline entries in words, and the segment conditions it offers on what people did (`person-activity.ts`). */
  personActivity?: PersonActivity;
}

/** Declares a manifest (typed, so a wrong field is a compile error in the capability's own folder). */
export function defineCapability<C extends Capability>(capability: C): C {
  return capability;
}
