import { Layout, Pagination, formatCalendarDate, formatLondon, formatNumber } from '../../platform/index.ts';
import type { PetitionPage, PetitionSort } from '../list-petitions.ts';
import { nextMilestone } from '../milestones.ts';
import type { Petition } from '../store.ts';
import { signatures } from './count-and-progress.tsx';

export type ListTab = 'open' | 'closed';

export interface ListPageProps {
  page: PetitionPage;
  tab: ListTab;
  sort: PetitionSort;
  search: string;
  href: (change: { tab?: ListTab; sort?: PetitionSort; page?: number }) => string;
}

const sortLabels: Record<PetitionSort, string> = { popular: 'Most signatures', newest: 'Newest', closing: 'Closing soonest' };

function PetitionItem({ petition, tab }: { petition: Petition; tab: ListTab }) {
  const next = nextMilestone(petition.milestones, petition.signatureCount);
  return (
    <li class="petition-list__item">
      <h3 class="petition-list__title">
        <a href={petition.path}>{petition.action}</a>
      </h3>
      <p class="petition-list__meta">
        <strong>{signatures(petition.signatureCount)}</strong>
        {tab === 'open' && next ? <span> · aiming for {formatNumber(next.threshold)}</span> : null}
        {tab === 'open' && petition.closingDate ? <span> · closes {formatCalendarDate(petition.closingDate)}</span> : null}
        {tab === 'closed' && petition.closedAt ? <span> · closed {formatLondon(petition.closedAt, 'date')}</span> : null}
        {petition.response ? <span> · has a response</span> : null}
      </p>
      {petition.groups.length > 0 ? <p class="petition-list__groups">{petition.groups.map((g) => g.name).join(', ')}</p> : null}
    </li>
  );
}

/** Open petitions (most signed, newest, closing soonest) with search, and closed ones. */
export function PetitionListPage({ page, tab, sort, search, href }: ListPageProps) {
  const heading = tab === 'open' ? 'Open petitions' : 'Closed petitions';
  const sorts: PetitionSort[] = tab === 'open' ? ['popular', 'newest', 'closing'] : ['popular', 'newest'];
  return (
    <Layout
      title={search ? `${heading} matching “${search}”` : heading}
      share={{
        // The tab's first page is the canonical one: searches, sorts and later pages are views of it.
        path: href({ tab, sort: 'popular', page: 1 }),
        description: tab === 'open' ? 'Petitions open for signing: add your name, and see how many have signed where you live.' : 'Petitions that have closed, with their signatures and what happened next.',
      }}
    >
      <h1>Petitions</h1>
      <nav class="tabs" aria-label="Open or closed petitions">
        <ul class="tabs__list">
          {(['open', 'closed'] as const).map((t) => (
            <li class="tabs__item">
              <a class="tabs__link" href={href({ tab: t, page: 1 })} aria-current={t === tab ? 'page' : undefined}>
                {t === 'open' ? 'Open' : 'Closed'}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/petitions" class="search-form" role="search">
        {tab === 'closed' ? <input type="hidden" name="state" value="closed" /> : null}
        <input type="hidden" name="sort" value={sort} />
        <label class="label" for="petition-search">
          Search {tab} petitions
        </label>
        <div class="search-form__row">
          <input class="input" id="petition-search" name="q" type="search" value={search} maxLength={200} />
          <button type="submit" class="button button--secondary search-form__button">
            Search
          </button>
        </div>
      </form>
      <h2 class="petition-list__heading">
        {heading}
        {search ? ` matching “${search}”` : ''} <span class="hint">({formatNumber(page.total)})</span>
      </h2>
      <p class="sort-links">
        Sort by:{' '}
        {sorts.map((s, i) => (
          <>
            {i > 0 ? ' · ' : ''}
            {s === sort ? (
              <strong aria-current="true">{sortLabels[s]}</strong>
            ) : (
              <a href={href({ sort: s, page: 1 })}>{sortLabels[s]}</a>
            )}
          </>
        ))}
      </p>
      {page.petitions.length === 0 ? (
        <p>{search ? 'No petitions match your search. Try other words.' : `There are no ${tab} petitions yet.`}</p>
      ) : (
        <ol class="petition-list">
          {page.petitions.map((p) => (
            <PetitionItem petition={p} tab={tab} />
          ))}
        </ol>
      )}
      <Pagination page={page.page} totalPages={page.totalPages} href={(n) => href({ page: n })} />
      <p>
        <a href={`/petitions.json?state=${tab}`}>These petitions as data (JSON)</a>
      </p>
    </Layout>
  );
}
