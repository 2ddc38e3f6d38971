import { formatNumber } from '../../platform/index.ts';
import type { PlaceTally } from '../petition-breakdown.ts';

/** "N people in <constituency> have signed" (counts update every few seconds). */
export function ConstituencyLine({ tally }: { tally: PlaceTally | undefined }) {
  if (!tally) return null;
  return (
    <p class="constituency-line">
      <strong>
        {tally.count === 1 ? '1 person' : `${formatNumber(tally.count)} people`} in {tally.name} {tally.count === 1 ? 'has' : 'have'} signed
      </strong>{' '}
      so far. Counts update every few seconds.
    </p>
  );
}
