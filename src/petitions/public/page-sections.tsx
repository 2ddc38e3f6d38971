import { formatCalendarDate, type PageSection } from '../../platform/index.ts';
import { mostSignedOpenPetitions } from '../list-petitions.ts';
import { isSignable } from '../states.ts';
import type { Petition } from '../store.ts';
import { petitionsQ } from '../tables.ts';
import { signatures } from './count-and-progress.tsx';

const FRONT_PAGE_PETITIONS = 6;
const GROUP_PAGE_PETITIONS = 10;

function PetitionCard({ petition, headingLevel }: { petition: Petition; headingLevel: 3 }) {
  const Heading = `h${headingLevel}` as const;
  return (
    <li class="card petition-card">
      <Heading class="card__title">
        <a href={petition.path}>{petition.action}</a>
      </Heading>
      <p class="petition-card__count">
        <strong>{signatures(petition.signatureCount)}</strong>
        {petition.closingDate ? <span class="hint"> · closes {formatCalendarDate(petition.closingDate)}</span> : null}
      </p>
      {isSignable(petition) ? (
        <a class="button button--primary petition-card__sign" href={`${petition.path}#sign`}>
          Sign<span class="visually-hidden">: {petition.action}</span>
        </a>
      ) : null}
    </li>
  );
}

function PetitionCards({ id, heading, petitions, more }: { id: string; heading: string; petitions: Petition[]; more?: { href: string; label: string } }) {
  return (
    <section class="front-section" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <ul class="card-list">
        {petitions.map((p) => (
          <PetitionCard petition={p} headingLevel={3} />
        ))}
      </ul>
      {more ? (
        <p>
          <a href={more.href}>{more.label}</a>
        </p>
      ) : null}
    </section>
  );
}

/** The front page's most signed open petitions, and each group page's own, each with its count and a Sign button. */
export const petitionSections: PageSection[] = [
  {
    order: 10,
    home: async ({ db }) => {
      const petitions = await mostSignedOpenPetitions(petitionsQ(db), { limit: FRONT_PAGE_PETITIONS });
      if (petitions.length === 0) return null;
      return <PetitionCards id="petitions-heading" heading="Sign a petition" petitions={petitions} more={{ href: '/petitions', label: 'See every open petition' }} />;
    },
    group: async ({ db }, group) => {
      const petitions = await mostSignedOpenPetitions(petitionsQ(db), { groupId: group.id, limit: GROUP_PAGE_PETITIONS });
      if (petitions.length === 0) return null;
      return <PetitionCards id="group-petitions-heading" heading={`Petitions from ${group.name}`} petitions={petitions} />;
    },
  },
];
