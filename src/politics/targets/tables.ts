import type { ColumnType, Generated } from 'kysely';
import type { TargetRule } from './rules.ts';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A named list of seats and politicians a campaign targets: "Election 2029: 40 seats". */
export interface TargetListsTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  /** The member group whose list it is; null for a coalition-wide list (admins only). */
  group_id: Maybe<number>;
  /** How seats are chosen; null when they are chosen by hand only. */
  rule: ColumnType<TargetRule | null, string | null | undefined, string | null>;
  /** When the rule last chose its seats (at saving and after every results import). */
  evaluated_at: Maybe<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/**
 * 'rule': chosen by the list's rule (replaced when it is evaluated again); 'hand': added by an
 * organiser (kept whatever the rule says); 'excluded': taken off by an organiser though the rule
 * chooses it (kept off when it is evaluated again).
 */
export type SeatChoice = 'rule' | 'hand' | 'excluded';

export interface TargetListSeatsTable {
  list_id: number;
  constituency_code: string;
  chosen: SeatChoice;
  added_at: Generated<Date>;
}

export type PoliticianRole = 'minister' | 'shadow_minister' | 'committee_chair' | 'party_leader' | 'other';

/** A high-profile politician on a list: their role ("Secretary of State for Health and Social Care") and their own seat. */
export interface TargetPoliticiansTable {
  id: Generated<number>;
  list_id: number;
  name: string;
  role: PoliticianRole;
  role_title: Generated<string>;
  party: Maybe<string>;
  constituency_code: Maybe<string>;
  added_at: Generated<Date>;
}

/** Candidates standing in a seat, from Democracy Club's candidates CSV (one row per candidacy). */
export interface CandidatesTable {
  ballot_paper_id: string;
  /** Democracy Club's person id (a public candidate, not a supporter). */
  dc_person_id: string;
  election_id: string;
  election_date: Maybe<string>;
  person_name: string;
  party_name: Maybe<string>;
  party_id: Maybe<string>;
  post_label: string;
  /** The GSS code of the seat, when the file gives it or the post label names a known constituency. */
  constituency_code: Maybe<string>;
  elected: Maybe<boolean>;
  cancelled_poll: Generated<boolean>;
  imported_at: Generated<Date>;
}

export interface TargetTables {
  target_lists: TargetListsTable;
  target_list_seats: TargetListSeatsTable;
  target_politicians: TargetPoliticiansTable;
  candidates: CandidatesTable;
}
