import type { Kysely, Transaction } from 'kysely';
import type { ApiTables } from './api/tables.ts';
import type { CoalitionTables } from './coalition/tables.ts';
import type { EventTables } from './events/tables.ts';
import type { LibraryTables } from './library/tables.ts';
import type { PetitionTables } from './petitions/tables.ts';
import type { PlatformTables } from './platform/tables.ts';
import type { PoliticsTables } from './politics/tables.ts';
import type { StoryTables } from './stories/tables.ts';
import type { SupporterTables } from './supporters/tables.ts';

/** The whole database as Kysely sees it: each capability declares the tables it owns. */
export interface Database extends PlatformTables, CoalitionTables, PoliticsTables, PetitionTables, SupporterTables, ApiTables, EventTables, StoryTables, LibraryTables {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** The database or an open transaction. */
export type Q = Db | Tx;
