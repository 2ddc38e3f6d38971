import { z } from 'zod';
import { optionalText, requiredText, type FormValues } from '../../platform/index.ts';
import type { TargetRule } from './rules.ts';
import type { TargetList } from './target-lists.ts';
import type { PoliticianRole } from './tables.ts';

export const NAME_MAX = 120;
export const DESCRIPTION_MAX = 1000;

/** The parties a rule may name: the Library's abbreviations for the parties that won or came second in 2024. */
export const RULE_PARTIES = ['Lab', 'Con', 'LD', 'RUK', 'Green', 'SNP', 'PC', 'Ind', 'DUP', 'SF', 'SDLP', 'UUP', 'APNI'] as const;

/** A repeated form field (checkboxes): none, one or many values. */
const many = (allowed: (value: string) => boolean, message: string) =>
  z
    .union([z.string(), z.array(z.string())], { message })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''))
    .refine((list) => list.length <= 30 && list.every(allowed), { message });
const isRuleParty = (v: string) => (RULE_PARTIES as readonly string[]).includes(v);

const percent = z
  .string()
  .trim()
  .max(12, { message: 'Enter the majority as a percentage, like 5' })
  .optional()
  .transform((v) => (v ? v.replace(/%$/, '').trim() : undefined))
  .refine((v) => v === undefined || /^\d{1,3}(\.\d{1,2})?$/.test(v), { message: 'Enter the majority as a percentage, like 5 or 2.5' })
  .transform((v) => (v === undefined ? undefined : Number(v)))
  .refine((v) => v === undefined || (v > 0 && v <= 100), { message: 'The majority must be more than 0% and at most 100%' });

export const targetListSchema = z.object({
  name: requiredText('a name for the list', NAME_MAX),
  description: optionalText('the description', DESCRIPTION_MAX),
  /** "" for a coalition-wide list, or a group's id. */
  group: z
    .string({ message: 'Choose whose list it is' })
    .regex(/^(\d{1,9})?$/, { message: 'Choose whose list it is' })
    .transform((v) => (v === '' ? null : Number(v))),
  max_majority: percent,
  winning: many(isRuleParty, 'Choose winning parties from the list'),
  second: many(isRuleParty, 'Choose runner-up parties from the list'),
  regions: many((v) => /^[A-Z]\d{8}$/.test(v), 'Choose regions from the list'),
});
export type TargetListInput = z.output<typeof targetListSchema>;

export function ruleOf(input: TargetListInput): TargetRule | null {
  const rule: TargetRule = {};
  if (input.max_majority !== undefined) rule.maxMajorityPercent = input.max_majority;
  if (input.winning.length) rule.winningParties = [...new Set(input.winning)];
  if (input.second.length) rule.secondParties = [...new Set(input.second)];
  if (input.regions.length) rule.regionCodes = [...new Set(input.regions)];
  return Object.keys(rule).length ? rule : null;
}

/** A saved list as the edit form shows it. */
export function targetListValues(list: TargetList): { values: FormValues; selected: { winning: string[]; second: string[]; regions: string[] } } {
  return {
    values: { name: list.name, description: list.description, group: list.groupId === null ? '' : String(list.groupId), max_majority: list.rule?.maxMajorityPercent?.toString() ?? '' },
    selected: { winning: list.rule?.winningParties ?? [], second: list.rule?.secondParties ?? [], regions: list.rule?.regionCodes ?? [] },
  };
}

/** A seat typed by name ("Hendon") or GSS code ("E14001279"). */
export const seatSchema = z.object({
  seat: requiredText('a constituency name or code', 120),
});

export const POLITICIAN_ROLES = ['minister', 'shadow_minister', 'committee_chair', 'party_leader', 'other'] as const satisfies readonly PoliticianRole[];

/** Field names carry a prefix so that this form's errors never land on the seat form on the same page. */
export const politicianSchema = z
  .object({
    politician_name: requiredText('the politician’s name', 120),
    politician_role: z.enum(POLITICIAN_ROLES, { message: 'Choose their role' }),
    politician_role_title: optionalText('the role title', 200),
    politician_party: optionalText('the party', 80),
    politician_seat: optionalText('their constituency', 120),
  })
  .transform((v) => ({ name: v.politician_name, role: v.politician_role, roleTitle: v.politician_role_title, party: v.politician_party, seat: v.politician_seat }));
export type PoliticianInput = z.output<typeof politicianSchema>;
