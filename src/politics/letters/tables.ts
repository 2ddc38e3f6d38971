import type { ColumnType, Generated } from 'kysely';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** Who a campaign's letters go to: each writer's own MP (found from their postcode), or MPs the organisers chose. */
export type LetterTarget = 'own_mp' | 'chosen';

/** A letter-writing campaign: what it is about and the points writers may make in their own words. */
export interface LetterCampaignsTable {
  id: Generated<number>;
  title: string;
  about: string;
  /** One point a line, shown beside the letter box (never pasted into it). */
  talking_points: string;
  /** The last day letters are taken (UK date). */
  deadline: string;
  /** The member group whose campaign it is; null for a coalition-wide one (admins only). */
  group_id: Maybe<number>;
  target: LetterTarget;
  /** For 'chosen': the seats whose MPs every letter goes to. */
  chosen_seats: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/**
 * 'held': too like an earlier letter of the campaign, or too short, waiting for the writer to
 * rewrite it or an organiser to release it; 'ready': to be delivered once the email is confirmed;
 * 'rejected': an organiser declined it. Delivery is recorded by `delivered_at`.
 */
export type LetterState = 'held' | 'ready' | 'rejected';
export type HeldReason = 'similar' | 'short';
export type Delivery = 'email' | 'post';

/** One letter from one writer to one MP (one per writer, MP and campaign). */
export interface LettersTable {
  id: Generated<number>;
  /** In the writer's links (with a signed token), never the id. */
  public_id: Generated<string>;
  campaign_id: number;
  /** The writer in supporters' records; null once erased. */
  person_id: Maybe<number>;
  writer_name: Maybe<string>;
  writer_email: Maybe<string>;
  /** The writer's address lines (without the postcode); cleared with the body. */
  writer_address: Maybe<string>;
  writer_postcode: Maybe<string>;
  /** The writer's own constituency. */
  writer_constituency: Maybe<string>;
  /** The seat of the MP the letter is to. */
  mp_seat_code: string;
  /** The MP's name when the letter was written. */
  mp_name: string;
  /** The letter; null once deleted after delivery (LETTERS_RETENTION_DAYS). */
  body: Maybe<string>;
  delivery: Delivery;
  state: LetterState;
  held_reason: Maybe<HeldReason>;
  /** The estimated Jaccard similarity to the closest earlier letter, when it was checked. */
  similarity: Maybe<number>;
  /** MinHash signature of the letter's 32-character shingles (kept after the body is deleted). */
  minhash: ColumnType<number[], number[], number[]>;
  /** LSH band keys of the signature (GIN-indexed: the candidates for a similarity check). */
  bands: ColumnType<string[], string[], string[]>;
  confirmed_at: Maybe<Date>;
  delivered_at: Maybe<Date>;
  body_deleted_at: Maybe<Date>;
  questionnaire_sent_at: Maybe<Date>;
  answered_at: Maybe<Date>;
  got_reply: Maybe<boolean>;
  /** 'yes', 'no' or 'unsure': did the reply read like a form letter? */
  form_letter: Maybe<'yes' | 'no' | 'unsure'>;
  /** Days from delivery to the reply, as the writer told us. */
  reply_days: Maybe<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** MPs' contact details and social handles, from the UK Parliament Members API (`chorus import mp-contacts`). */
export interface MpContactsTable {
  /** The Members API's member id (mps.parliament_id). */
  parliament_id: string;
  /** The parliamentary office's email address (a public office's, not a supporter's). */
  office_email: Maybe<string>;
  office_phone: Maybe<string>;
  /** The parliamentary office's address lines. */
  address: Maybe<string>;
  postcode: Maybe<string>;
  bluesky: Maybe<string>;
  mastodon: Maybe<string>;
  x: Maybe<string>;
  imported_at: Generated<Date>;
}

export interface LetterTables {
  letter_campaigns: LetterCampaignsTable;
  letters: LettersTable;
  mp_contacts: MpContactsTable;
}
