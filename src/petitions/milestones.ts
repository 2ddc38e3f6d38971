import type { MilestoneKind } from './tables.ts';

export interface Milestone {
  threshold: number;
  kind: MilestoneKind;
  label: string;
  reachedAt: Date | null;
}

/** Defaults after the UK Parliament's petitions: a response at 10,000, a debate at 100,000. */
export const defaultMilestones: Array<Omit<Milestone, 'reachedAt'>> = [
  { threshold: 10_000, kind: 'response', label: 'The target must respond' },
  { threshold: 100_000, kind: 'debate', label: 'We ask for a debate or public meeting' },
];

/** The next milestone not yet reached, for "N more to go" and the progress bar. */
export function nextMilestone(milestones: Milestone[], count: number): Milestone | undefined {
  return [...milestones].sort((a, b) => a.threshold - b.threshold).find((m) => m.threshold > count);
}

export function reachedMilestones(milestones: Milestone[]): Milestone[] {
  return milestones.filter((m) => m.reachedAt !== null).sort((a, b) => a.threshold - b.threshold);
}
