import { nextMilestone, reachedMilestones } from '../milestones.ts';
import { shareLinks, sharedUrl } from '../share-links.ts';
import { stateLabels } from '../states.ts';
import type { Petition } from '../store.ts';
import type { PlaceTally } from '../petition-breakdown.ts';
import type { PetitionState } from '../tables.ts';
import { Tag, formatNumber, type TagColour } from '../../platform/index.ts';

export const signatures = (n: number) => `${formatNumber(n)} ${n === 1 ? 'signature' : 'signatures'}`;

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

/** Share links for each channel, and the link itself to copy (works without JavaScript). */
export function ShareBlock({ petition, baseUrl, headingLevel = 2 }: { petition: Petition; baseUrl: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const copyUrl = sharedUrl(baseUrl, petition, 'copy');
  return (
    <section class="share" aria-labelledby="share-heading">
      <Heading id="share-heading">Share this petition</Heading>
      <p>More people sign when a friend asks them. Share it where the people you know are.</p>
      <ul class="share__links">
        {shareLinks(baseUrl, petition).map((link) => (
          <li>
            <a class={`share__link share__link--${link.channel}`} href={link.href} rel={link.external ? 'noopener noreferrer' : undefined}>
              {link.label}
              <span class="visually-hidden"> (share this petition)</span>
            </a>
          </li>
        ))}
      </ul>
      <div class="form-group">
        <label class="label" for="share-url">
          Or copy the link
        </label>
        <div class="copy-field">
          <input class="input" id="share-url" type="text" readOnly value={copyUrl} data-copy-source />
          <button type="button" class="button button--secondary copy-field__button" data-copy-target="share-url" hidden>
            Copy link
          </button>
        </div>
        <p class="copy-field__status" role="status" data-copy-status="share-url" />
      </div>
    </section>
  );
}
