import { personCondition, type FieldErrors } from '../../platform/index.ts';
import { conditionKinds, definitionSchema, MAX_CONDITIONS, type Condition, type ConditionKind, type SegmentDefinition } from './definition.ts';

/**
 * The segment builder is a plain GET form, so a definition travels in the query string:
 * `match=all&c0.kind=tags&c0.tags=3&c0.tags=5&c0.tagMatch=any&c0.not=yes&c1.kind=action&c1.action=petition.signed...`.
 * A draft is what the form holds (possibly incomplete); a definition is a validated draft.
 */
export interface DraftCondition {
  kind: ConditionKind;
  not: boolean;
  values: Record<string, string[]>;
}

export interface Draft {
  match: 'all' | 'any';
  conditions: DraftCondition[];
  /** Index of a condition added by this request: shown empty, not yet checked. */
  fresh?: number;
  /**
   * True when this request only added or removed a condition: the conditions are still being
   * filled in, so problems are not flagged yet (only "Update count" and saving flag them).
   */
  editing?: boolean;
}

const KINDS = new Set<string>(conditionKinds.map((k) => k.kind));

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Reads the builder's fields (renumbering conditions from 0), applying "add" and "remove" buttons. */
export function draftFromQuery(query: Record<string, unknown>): Draft {
  const byIndex = new Map<number, DraftCondition>();
  for (const [key, value] of Object.entries(query)) {
    const match = /^c(\d{1,2})\.([a-zA-Z]+)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const field = match[2]!;
    const condition = byIndex.get(index) ?? { kind: 'tags', not: false, values: {} };
    if (field === 'kind') {
      const kind = list(value)[0] ?? '';
      if (KINDS.has(kind)) condition.kind = kind as ConditionKind;
      else condition.values.kind = [kind];
    } else if (field === 'not') condition.not = list(value).some((v) => v !== '');
    else condition.values[field] = list(value);
    byIndex.set(index, condition);
  }
  // Rows without a kind field are not conditions (stray parameters).
  let conditions = [...byIndex.entries()]
    .filter(([index]) => query[`c${index}.kind`] !== undefined)
    .sort(([a], [b]) => a - b)
    .map(([, c]) => c);
  const remove = list(query.remove)[0];
  if (remove !== undefined && /^\d+$/.test(remove)) conditions = conditions.filter((_, i) => i !== Number(remove));
  const draft: Draft = { match: list(query.match)[0] === 'any' ? 'any' : 'all', conditions };
  const add = list(query.add)[0];
  // "Find" and "Add region" (and Enter in a field, which presses the form's first, hidden, button) too.
  if (add !== undefined || remove !== undefined || list(query.find).length > 0) draft.editing = true;
  if (add && KINDS.has(add) && conditions.length < MAX_CONDITIONS) {
    draft.conditions.push({ kind: add as ConditionKind, not: false, values: add === 'tags' ? { tagMatch: ['any'] } : {} });
    draft.fresh = draft.conditions.length - 1;
  }
  return draft;
}

/** Form field name for each definition property, per kind (for error messages beside fields). */
function fieldName(kind: ConditionKind, property: string): string {
  if (property === 'codes') return kind === 'region' ? 'regions' : 'codes';
  return { tagIds: 'tags', listIds: 'lists', purposeId: 'purpose', subjectId: 'subject', match: 'tagMatch' }[property] ?? property;
}

function first(values: Record<string, string[]>, name: string): string | undefined {
  const value = values[name]?.[0]?.trim();
  return value ? value : undefined;
}

function ids(values: string[] | undefined): number[] {
  return (values ?? []).filter((v) => v !== '').map((v) => (/^\d{1,9}$/.test(v) ? Number(v) : Number.NaN));
}

function conditionInput(c: DraftCondition): Record<string, unknown> {
  const v = c.values;
  switch (c.kind) {
    case 'constituency':
      // Ticked seats, one code each (a hand-written address may still list several in one, comma-separated).
      return { kind: c.kind, not: c.not, codes: [...new Set((v.codes ?? []).flatMap((text) => text.toUpperCase().split(/[\s,;]+/)).filter(Boolean))] };
    case 'region':
      return { kind: c.kind, not: c.not, codes: (v.regions ?? []).filter(Boolean) };
    case 'tags':
      return { kind: c.kind, not: c.not, match: first(v, 'tagMatch') ?? 'any', tagIds: ids(v.tags) };
    case 'lists':
      return { kind: c.kind, not: c.not, listIds: ids(v.lists) };
    case 'action':
      return { kind: c.kind, not: c.not, action: first(v, 'action') ?? '', subjectId: first(v, 'subject'), since: first(v, 'since'), before: first(v, 'before') };
    case 'consent':
      return { kind: c.kind, not: c.not, purposeId: ids(v.purpose)[0] ?? 0 };
    case 'created':
      return { kind: c.kind, not: c.not, since: first(v, 'since'), before: first(v, 'before') };
    case 'activity':
      return { kind: c.kind, not: c.not, activity: first(v, 'activity') ?? '', subjectId: first(v, 'subject') === undefined ? undefined : ids(v.subject)[0] };
  }
}

export type DraftResult = { ok: true; definition: SegmentDefinition } | { ok: false; errors: FieldErrors };

/** Validates a draft (leaving out a freshly added condition), naming each bad field as the form does. */
/** The tags, lists and consent purposes the viewer may build on (another group's are not theirs to count by). */
export interface VisibleChoices {
  tags: Array<{ id: number }>;
  lists: Array<{ id: number }>;
  purposes: Array<{ id: number }>;
}

const NOT_YOURS = 'Choose from the options given: that one is not available to you';

/** Conditions naming a tag, list or purpose outside what the viewer may see, as field errors. */
function unseenChoices(conditions: Condition[], indexOf: number[], visible: VisibleChoices): FieldErrors {
  const errors = Object.create(null) as FieldErrors;
  const seen = { tags: new Set(visible.tags.map((t) => t.id)), lists: new Set(visible.lists.map((l) => l.id)), purposes: new Set(visible.purposes.map((p) => p.id)) };
  conditions.forEach((c, position) => {
    const field = (property: string) => `c${indexOf[position]!}.${fieldName(c.kind, property)}`;
    if (c.kind === 'tags' && c.tagIds.some((id) => !seen.tags.has(id))) errors[field('tagIds')] = NOT_YOURS;
    if (c.kind === 'lists' && c.listIds.some((id) => !seen.lists.has(id))) errors[field('listIds')] = NOT_YOURS;
    if (c.kind === 'consent' && !seen.purposes.has(c.purposeId)) errors[field('purposeId')] = NOT_YOURS;
  });
  return errors;
}

/**
 * The draft as a segment definition, or its problems by field. With `visible`, a tag, list or
 * purpose the viewer may not see is a problem too (checked on the server: the form offers only
 * theirs, but a hand-made request could name any id).
 */
export function definitionFromDraft(draft: Draft, visible?: VisibleChoices): DraftResult {
  const kept = draft.conditions.filter((_, i) => i !== draft.fresh);
  const errors = Object.create(null) as FieldErrors;
  draft.conditions.forEach((c, i) => {
    if (c.values.kind) errors[`c${i}.kind`] = 'Choose what kind of condition this is';
  });
  const result = definitionSchema.safeParse({ version: 1, match: draft.match, conditions: kept.map(conditionInput) });
  const indexOf = draft.conditions.map((_, i) => i).filter((i) => i !== draft.fresh);
  if (result.success && visible) Object.assign(errors, unseenChoices(result.data.conditions, indexOf, visible));
  // An activity only another capability can count: one that none offers is not a choice.
  if (result.success) {
    result.data.conditions.forEach((c, position) => {
      if (c.kind === 'activity' && !personCondition(c.activity)) errors[`c${indexOf[position]!}.activity`] = 'Choose what they did';
    });
  }
  if (result.success && Object.keys(errors).length === 0) return { ok: true, definition: result.data };
  for (const issue of result.success ? [] : result.error.issues) {
    const [top, position, property] = issue.path;
    let field = 'conditions';
    if (top === 'conditions' && typeof position === 'number') {
      const index = indexOf[position]!;
      const kind = draft.conditions[index]!.kind;
      field = `c${index}.${fieldName(kind, typeof property === 'string' ? property : 'kind')}`;
    } else if (top === 'match') field = 'match';
    errors[field] ??= friendly(issue.message);
  }
  return { ok: false, errors };
}

/**
 * Field errors for conditions that reach outside what the viewer may use (segment-reach.ts, which
 * also checks petitions), by their position among the draft's checked conditions.
 */
export function outOfReachErrors(draft: Draft, found: Array<{ position: number; property: string }>): FieldErrors {
  const errors = Object.create(null) as FieldErrors;
  const indexOf = draft.conditions.map((_, i) => i).filter((i) => i !== draft.fresh);
  for (const f of found) {
    const index = indexOf[f.position]!;
    errors[`c${index}.${fieldName(draft.conditions[index]!.kind, f.property)}`] = NOT_YOURS;
  }
  return errors;
}

function friendly(message: string): string {
  // zod's own wording for type mismatches (a non-numeric id typed into a URL) means "pick from the list".
  return /expected|invalid input|received/i.test(message) ? 'Choose from the options given' : message;
}

/** The builder's fields for a saved definition (editing). */
export function draftFromDefinition(definition: SegmentDefinition): Draft {
  return {
    match: definition.match,
    conditions: definition.conditions.map((c): DraftCondition => ({ kind: c.kind, not: c.not, values: valuesOf(c) })),
  };
}

function valuesOf(c: Condition): Record<string, string[]> {
  const opt = (value: string | undefined) => (value ? [value] : []);
  switch (c.kind) {
    case 'constituency':
      return { codes: c.codes };
    case 'region':
      return { regions: c.codes };
    case 'tags':
      return { tagMatch: [c.match], tags: c.tagIds.map(String) };
    case 'lists':
      return { lists: c.listIds.map(String) };
    case 'action':
      return { action: [c.action], subject: opt(c.subjectId), since: opt(c.since), before: opt(c.before) };
    case 'consent':
      return { purpose: [String(c.purposeId)] };
    case 'created':
      return { since: opt(c.since), before: opt(c.before) };
    case 'activity':
      return { activity: [c.activity], subject: c.subjectId === undefined ? [] : [String(c.subjectId)] };
  }
}

/** The query string that reproduces a draft in the builder (and in the count endpoint). */
export function queryFromDraft(draft: Draft): string {
  const params = new URLSearchParams();
  params.append('match', draft.match);
  draft.conditions.forEach((c, i) => {
    params.append(`c${i}.kind`, c.kind);
    if (c.not) params.append(`c${i}.not`, 'yes');
    for (const [name, values] of Object.entries(c.values)) for (const value of values) params.append(`c${i}.${name}`, value);
  });
  return params.toString();
}
