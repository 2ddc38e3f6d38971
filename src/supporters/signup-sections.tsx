import type { PageSection } from '../platform/index.ts';
import { consentBoxes } from './signup-form.ts';
import { SignUpFormFields } from './signup-views.tsx';
import { supportersQ } from './tables.ts';

/**
 * The calls to sign up: on the front page, Join (the coalition's updates); on a group's page,
 * that group's own subscribe form, the same form as /groups/<slug>/subscribe.
 */
export const signUpSections: PageSection[] = [
  {
    order: 20,
    home: async ({ brand }) => (
      <section class="front-section join-call" aria-labelledby="join-heading">
        <h2 id="join-heading">Join {brand.name}</h2>
        <p>Get news of our campaigns and the ways you can help. We email you to confirm first, and you can stop at any time.</p>
        <a class="button button--primary" href="/join">
          Join us
        </a>
      </section>
    ),
    group: async ({ db, brand }, group) => {
      const boxes = await consentBoxes(supportersQ(db), brand, group.id);
      return (
        <section class="front-section" aria-labelledby="subscribe-heading">
          <h2 id="subscribe-heading">Get updates from {group.name}</h2>
          <SignUpFormFields action={`/groups/${group.slug}/subscribe`} boxes={boxes} arrival={{}} />
        </section>
      );
    },
  },
];
