import { Tag, type TagColour } from '../platform/index.ts';
import { stateLabels } from './states.ts';
import type { PetitionState } from './tables.ts';

const stateColour: Record<PetitionState, TagColour> = {
  draft: 'grey',
  awaiting_moderation: 'yellow',
  open: 'green',
  closed: 'grey',
  rejected: 'red',
  hidden: 'red',
};

/** The state as a labelled tag, the same on public and admin pages. */
export function StateTag({ state }: { state: PetitionState }) {
  return <Tag colour={stateColour[state]}>{stateLabels[state]}</Tag>;
}
