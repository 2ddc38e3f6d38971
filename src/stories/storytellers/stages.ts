import type { StorytellerStage } from './tables.ts';

export const STAGES: readonly StorytellerStage[] = ['recruited', 'consented', 'trained', 'ready', 'spoke'];
/** Ready to be asked: matched to opportunities (someone who spoke may speak again). */
export const MATCHABLE_STAGES: readonly StorytellerStage[] = ['ready', 'spoke'];
/** Attending a training session moves these on to trained. */
export const TRAINABLE_STAGES: readonly StorytellerStage[] = ['consented'];
/** May be marked as having given their consent to be a storyteller. */
export const CONSENTABLE_STAGES: readonly StorytellerStage[] = ['recruited'];
/** May be marked ready to speak (after training). */
export const READYABLE_STAGES: readonly StorytellerStage[] = ['trained'];
/** May attend training (anyone who consented; those past it may attend again). */
export const ATTENDING_STAGES: readonly StorytellerStage[] = ['consented', 'trained', 'ready', 'spoke'];

export const stageLabels: Record<StorytellerStage, string> = {
  recruited: 'Recruited',
  consented: 'Consented',
  trained: 'Trained',
  ready: 'Ready to speak',
  spoke: 'Has spoken',
};

/** The stamp column each stage records when first reached. */
export const stageStamp = {
  recruited: 'recruited_at',
  consented: 'consented_at',
  trained: 'trained_at',
  ready: 'ready_at',
  spoke: 'spoke_at',
} as const satisfies Record<StorytellerStage, string>;
