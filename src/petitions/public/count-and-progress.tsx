import { formatNumber } from '../../platform/index.ts';
import { nextMilestone, reachedMilestones } from '../milestones.ts';
import type { Petition } from '../store.ts';

/** "1 signature", "1,234 signatures". */
export const signatures = (n: number) => `${formatNumber(n)} ${n === 1 ? 'signature' : 'signatures'}`;

/** The count, and progress towards the next milestone in words and as a bar. */
export function CountAndProgress({ petition, headingLevel = 2 }: { petition: Petition; headingLevel?: 2 | 3 }) {
  // Progress only means something while people can still sign.
  const next = petition.state === 'open' ? nextMilestone(petition.milestones, petition.signatureCount) : undefined;
  const previous = reachedMilestones(petition.milestones).at(-1)?.threshold ?? 0;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="petition-count" aria-labelledby={`count-${petition.id}`}>
      <Heading class="visually-hidden" id={`count-${petition.id}`}>
        Signatures
      </Heading>
      <p class="petition-count__figure" data-petition-count={petition.id}>
        <span class="key-figure" data-count-figure>
          {formatNumber(petition.signatureCount)}
        </span>{' '}
        {petition.signatureCount === 1 ? 'signature' : 'signatures'}
      </p>
      {next ? (
        <div class="petition-progress">
          <p id={`progress-${petition.id}`} class="petition-progress__text">
            {formatNumber(next.threshold - petition.signatureCount)} more needed to reach {formatNumber(next.threshold)}: {next.label.charAt(0).toLowerCase()}
            {next.label.slice(1)}.
          </p>
          <progress
            class="petition-progress__bar"
            max={next.threshold - previous}
            value={Math.max(0, petition.signatureCount - previous)}
            aria-labelledby={`progress-${petition.id}`}
          >
            {formatNumber(petition.signatureCount)} of {formatNumber(next.threshold)}
          </progress>
        </div>
      ) : null}
    </section>
  );
}
