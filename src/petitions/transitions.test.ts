import { describe, expect, it } from 'vitest';
import { addMonths, closingDateProblem, defaultClosingDate, hasPassed, londonToday } from './closing-date.ts';
import { parseCustomMilestones } from './petition-form.ts';
import { availableTransitions, canTransition } from './transitions.ts';

describe('canTransition', () => {
  it('lets organisers submit drafts and close open petitions, but not moderate or reopen', () => {
    expect(canTransition('draft', 'awaiting_moderation', 'organiser')).toBe(true);
    expect(canTransition('open', 'closed', 'organiser')).toBe(true);
    expect(canTransition('awaiting_moderation', 'open', 'organiser')).toBe(false);
    expect(canTransition('awaiting_moderation', 'rejected', 'organiser')).toBe(false);
    expect(canTransition('open', 'hidden', 'organiser')).toBe(false);
    expect(canTransition('closed', 'open', 'organiser')).toBe(false);
  });

  it('lets moderators approve, reject and hide, but not submit, close or reopen', () => {
    expect(canTransition('awaiting_moderation', 'open', 'moderator')).toBe(true);
    expect(canTransition('awaiting_moderation', 'rejected', 'moderator')).toBe(true);
    expect(canTransition('open', 'rejected', 'moderator')).toBe(true);
    expect(canTransition('closed', 'hidden', 'moderator')).toBe(true);
    expect(canTransition('draft', 'awaiting_moderation', 'moderator')).toBe(false);
    expect(canTransition('open', 'closed', 'moderator')).toBe(false);
    expect(canTransition('rejected', 'open', 'moderator')).toBe(false);
  });

  it('lets only admins reopen closed, rejected and hidden petitions', () => {
    for (const from of ['closed', 'rejected', 'hidden'] as const) {
      expect(canTransition(from, 'open', 'admin')).toBe(true);
      expect(canTransition(from, 'open', 'moderator')).toBe(false);
    }
  });

  it('refuses moves that skip a step, whoever asks', () => {
    for (const role of ['admin', 'organiser', 'moderator'] as const) {
      expect(canTransition('draft', 'open', role)).toBe(false);
      expect(canTransition('draft', 'closed', role)).toBe(false);
      expect(canTransition('open', 'draft', role)).toBe(false);
      expect(canTransition('hidden', 'closed', role)).toBe(false);
    }
  });

  it('lists the actions available in each state', () => {
    expect(availableTransitions('awaiting_moderation', 'moderator')).toEqual(['approve', 'reject', 'hide']);
    expect(availableTransitions('open', 'admin')).toEqual(['reject', 'hide', 'close']);
    expect(availableTransitions('draft', 'organiser')).toEqual(['submit']);
    expect(availableTransitions('hidden', 'admin')).toEqual(['reopen']);
  });
});

describe('closing dates', () => {
  it('uses the UK calendar date, not UTC (00:30 BST on 1 July is still 1 July in London)', () => {
    expect(londonToday(new Date('2027-06-30T23:30:00Z'))).toBe('2027-07-01');
    expect(londonToday(new Date('2027-01-31T23:30:00Z'))).toBe('2027-01-31');
  });

  it('closes six months after opening, keeping to the end of short months', () => {
    expect(defaultClosingDate(new Date('2027-03-15T12:00:00Z'))).toBe('2027-09-15');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
  });

  it('counts a closing date as passed only once its day is over', () => {
    const now = new Date('2027-05-10T12:00:00Z');
    expect(hasPassed('2027-05-10', now)).toBe(false);
    expect(hasPassed('2027-05-09', now)).toBe(true);
  });

  it('accepts only real future dates within a year', () => {
    const now = new Date('2027-05-10T12:00:00Z');
    expect(closingDateProblem('2027-05-11', now)).toBeUndefined();
    expect(closingDateProblem('2027-05-10', now)).toBe('The closing date must be in the future');
    expect(closingDateProblem('2027-02-30', now)).toMatch(/real date/);
    expect(closingDateProblem('next week', now)).toMatch(/real date/);
    expect(closingDateProblem('2028-05-11', now)).toMatch(/within 12 months/);
  });
});

describe('custom milestones', () => {
  it('reads one milestone a line, with or without thousands separators', () => {
    expect(parseCustomMilestones('25,000 Hand it in at the council\n\n50000 March on the ICB')).toEqual({
      milestones: [
        { threshold: 25_000, kind: 'custom', label: 'Hand it in at the council' },
        { threshold: 50_000, kind: 'custom', label: 'March on the ICB' },
      ],
    });
  });

  it('names the line that is wrong', () => {
    expect(parseCustomMilestones('25000 Fine\nHand it in').problem).toMatch(/^Line 2 of the other milestones/);
    expect(parseCustomMilestones('0 Nothing').problem).toMatch(/^Line 1/);
  });
});
