import type { ComponentChildren } from 'preact';
import { ScrollingTable, ActionButton, Button, ErrorSummary, Form, Layout, Notice, TextInput, andList, formatCalendarDate, formatLondon, formatNumber, type FieldErrors, type FormValues, type Viewer } from '../../platform/index.ts';
import { hasPower, mayTransition } from '../petition-access.ts';
import { EDITABLE_STATES, VISIBLE_STATES, rejectionReasons, type RejectionCode } from '../states.ts';
import type { Petition } from '../store.ts';
import { OPENED_EDITABLE_STATES, OUTCOME_STATES, SIGNED_STATES, availableTransitions } from '../transitions.ts';
import { EmbedCode } from './embed-code.tsx';
import { OutcomeSummary } from './outcome-summary.tsx';
import { StateTag } from '../state-tag.tsx';
import type { OverviewFacts } from './overview-facts.ts';
import { emailSignersPath, petitionAdminPath } from './petition-paths.ts';

export { overviewFacts } from './overview-facts.ts';

const notices: Record<string, string> = {
  created: 'Saved as a draft. Submit it for moderation when it is ready.',
  updated: 'Your changes have been saved.',
  submitted: 'Submitted. A moderator will review it before it opens.',
  approved: 'Approved: the petition is open for signatures.',
  rejected: 'Rejected. The reason is shown on the public page.',
  hidden: 'Hidden from the public.',
  closed: 'Closed: it no longer takes signatures.',
  'close-agreed': 'Your group has agreed to close the petition. It stays open until every group behind it agrees.',
  reopened: 'Reopened for signatures.',
  'under-attack-on': '“Under attack” is on: signers must pass a proof-of-work check.',
  'under-attack-off': '“Under attack” is off.',
  outcomes: 'The outcomes have been saved.',
  invalidated: 'The signatures have been invalidated and the counts recalculated.',
  released: 'The held signatures have been released and the counts recalculated.',
  'held-invalidated': 'The held signatures have been invalidated and the counts recalculated.',
};

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="summary-list__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Timeline({ petition: p }: { petition: Petition }) {
  const times: Array<[string, Date | null]> = [
    ['Created', p.createdAt],
    ['Submitted for moderation', p.submittedAt],
    ['Opened', p.openedAt],
    ['Closed', p.closedAt],
    ['Rejected', p.rejectedAt],
    ['Hidden', p.hiddenAt],
  ];
  return (
    <>
      {times.map(([label, at]) => (at ? <Row label={label}>{formatLondon(at)}</Row> : null))}
    </>
  );
}

function ReopenForm({ petition, errors, values }: { petition: Petition; errors?: FieldErrors | undefined; values?: FormValues | undefined }) {
  return (
    <Form action={petitionAdminPath(petition.id, 'reopen')} class="petition-actions__reopen">
      <TextInput
        name="closing_date"
        label="New closing date"
        hint={petition.closingDate ? `Currently ${formatCalendarDate(petition.closingDate)}. Leave empty to keep it (if it has not passed).` : 'For example: 2027-03-31'}
        type="date"
        width="10"
        errors={errors}
        values={values}
      />
      <Button variant="secondary">Reopen the petition</Button>
    </Form>
  );
}

const names = (groups: Array<{ name: string }>) => andList(groups.map((g) => g.name));

/** Closing a shared petition: the organiser agrees for their groups; the last group to agree closes it. */
function CloseAction({ petition, closing }: { petition: Petition; closing: OverviewFacts['closing'] }) {
  if (!closing) {
    return <ActionButton action={petitionAdminPath(petition.id, 'close')}>Close now</ActionButton>;
  }
  const agreedIds = new Set(closing.agreed.map((g) => g.id));
  const yoursToAgree = closing.yours.filter((g) => !agreedIds.has(g.id));
  if (yoursToAgree.length === 0) {
    return (
      <p class="petition-actions__waiting">
        {names(closing.yours)} {closing.yours.length === 1 ? 'has' : 'have'} agreed to close it now. Waiting for {names(closing.waitingFor)} to agree: it closes when every group behind it agrees.
      </p>
    );
  }
  return (
    <>
      <ActionButton action={petitionAdminPath(petition.id, 'close')}>Agree to close now</ActionButton>
      <p class="hint">
        Shared by {names(petition.groups)}: it closes when every group agrees.
        {closing.agreed.length > 0 ? ` ${names(closing.agreed)} ${closing.agreed.length === 1 ? 'has' : 'have'} agreed.` : ''}
      </p>
    </>
  );
}

function Actions({ petition, viewer, facts, errors, values }: { petition: Petition; viewer: Viewer; facts: OverviewFacts; errors?: FieldErrors | undefined; values?: FormValues | undefined }) {
  const id = petition.id;
  const moves = availableTransitions(petition.state, viewer.role).filter((t) => mayTransition(viewer, t));
  const protect = hasPower(viewer, 'protect');
  return (
    <section aria-labelledby="actions-heading" class="petition-actions">
      <h2 id="actions-heading">What you can do</h2>
      <ul class="petition-actions__list">
        {moves.includes('submit') ? (
          <li>
            <ActionButton action={petitionAdminPath(id, 'submit')} variant="primary">
              Submit for moderation
            </ActionButton>
          </li>
        ) : null}
        {moves.includes('approve') && facts.mayApprove ? (
          <li>
            <ActionButton action={petitionAdminPath(id, 'approve')} variant="primary">
              Approve and open
            </ActionButton>
          </li>
        ) : null}
        {moves.includes('approve') && !facts.mayApprove ? <li>You started this petition, so another admin or a moderator approves it.</li> : null}
        {moves.includes('reject') ? (
          <li>
            <a href={petitionAdminPath(id, 'reject')}>Reject with a reason</a>
          </li>
        ) : null}
        {moves.includes('close') ? (
          <li>
            <CloseAction petition={petition} closing={facts.closing} />
          </li>
        ) : null}
        {moves.includes('hide') ? (
          <li>
            <ActionButton action={petitionAdminPath(id, 'hide')} variant="warning">
              Hide from the public
            </ActionButton>
          </li>
        ) : null}
        {protect && petition.state === 'open' ? (
          <li>
            <ActionButton action={petitionAdminPath(id, 'under-attack')} fields={{ on: petition.underAttack ? 'no' : 'yes' }} variant={petition.underAttack ? 'secondary' : 'warning'}>
              {petition.underAttack ? 'Turn off “under attack”' : 'Turn on “under attack”'}
            </ActionButton>
          </li>
        ) : null}
      </ul>
      {moves.includes('reopen') ? <ReopenForm petition={petition} errors={errors} values={values} /> : null}
      {moves.length === 0 && !(protect && petition.state === 'open') ? <p>There is nothing to do in this state.</p> : null}
    </section>
  );
}

function Links({ petition, viewer }: { petition: Petition; viewer: Viewer }) {
  const { state } = petition;
  const links: Array<[string, string]> = [];
  if (hasPower(viewer, 'edit') && (EDITABLE_STATES.includes(state) || OPENED_EDITABLE_STATES.includes(state))) links.push([petitionAdminPath(petition.id, 'edit'), 'Edit the petition']);
  if (hasPower(viewer, 'outcomes') && OUTCOME_STATES.includes(state)) links.push([petitionAdminPath(petition.id, 'outcomes'), 'Record the response, hand-in or debate']);
  if (hasPower(viewer, 'protect') && SIGNED_STATES.includes(state)) {
    links.push([petitionAdminPath(petition.id, 'held'), 'Held signatures']);
    links.push([petitionAdminPath(petition.id, 'trending'), 'Addresses and domains signing unusually often']);
    links.push([petitionAdminPath(petition.id, 'invalidate'), 'Invalidate signatures']);
  }
  if (hasPower(viewer, 'signers') && SIGNED_STATES.includes(state)) {
    links.push([petitionAdminPath(petition.id, 'signers'), 'Signers']);
    links.push([emailSignersPath(petition.id), 'Email these signers']);
    links.push([petitionAdminPath(petition.id, 'signers.csv'), 'Export the signers (CSV)']);
  }
  if (hasPower(viewer, 'export') && SIGNED_STATES.includes(state)) links.push([petitionAdminPath(petition.id, 'exports'), 'Download names and counts for a hand-in']);
  if (VISIBLE_STATES.includes(state)) links.push([petition.path, 'The public page']);
  if (links.length === 0) return null;
  return (
    <ul class="link-list">
      {links.map(([href, label]) => (
        <li>
          <a href={href}>{label}</a>
        </li>
      ))}
    </ul>
  );
}

export interface OverviewProps extends OverviewFacts {
  petition: Petition;
  viewer: Viewer;
  notice?: string | undefined;
  /** How many signatures the action in the notice changed. */
  noticeCount?: number | undefined;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
  /** The site's address, for the embed code. */
  baseUrl: string;
}

/** One petition for organisers and moderators: where it stands, and what can be done now. */
export function OverviewPage({ petition: p, viewer, notice, noticeCount, errors, values, baseUrl, ...facts }: OverviewProps) {
  const { held, closing } = facts;
  const message =
    notice === 'invalidated' && noticeCount !== undefined
      ? `${formatNumber(noticeCount)} ${noticeCount === 1 ? 'signature has' : 'signatures have'} been invalidated and the counts recalculated.`
      : notice
        ? notices[notice]
        : undefined;
  return (
    <Layout title={p.action} breadcrumbs={[{ href: '/admin/petitions', label: 'Petitions' }]} wide>
      {message ? <Notice>{message}</Notice> : null}
      <ErrorSummary errors={errors} />
      <span class="caption">Petition {p.id}</span>
      <h1>{p.action}</h1>
      <dl class="summary-list">
        <Row label="State">
          <StateTag state={p.state} />
        </Row>
        <Row label="Groups">{p.groups.map((g) => g.name).join(', ')}</Row>
        <Row label="Addressed to">{p.target}</Row>
        <Row label="Closing date">{p.closingDate ? formatCalendarDate(p.closingDate) : 'Six months after it opens'}</Row>
        <Row label="Signatures">{formatNumber(p.signatureCount)}</Row>
        <Row label="Held as suspect">{formatNumber(held)}</Row>
        {closing && closing.agreed.length > 0 ? (
          <Row label="Closing early">
            Agreed by {names(closing.agreed)}; waiting for {names(closing.waitingFor)}
          </Row>
        ) : null}
        <Row label="Under attack">{p.underAttack ? 'Yes: signers must pass a proof-of-work check' : 'No'}</Row>
        {p.rejection ? (
          <Row label="Rejection">
            {rejectionReasons[p.rejection.code as RejectionCode] ?? p.rejection.code} {p.rejection.details}
          </Row>
        ) : null}
        <Timeline petition={p} />
      </dl>
      <Actions petition={p} viewer={viewer} facts={facts} errors={errors} values={values} />
      <Links petition={p} viewer={viewer} />
      {p.state === 'open' && hasPower(viewer, 'edit') ? <EmbedCode petition={p} baseUrl={baseUrl} /> : null}
      <h2>Background</h2>
      <p class="petition-text">{p.background}</p>
      {p.additionalDetails ? (
        <>
          <h2>More details</h2>
          <p class="petition-text">{p.additionalDetails}</p>
        </>
      ) : null}
      <h2>Milestones</h2>
      {p.milestones.length === 0 ? (
        <p>No milestones.</p>
      ) : (
        <ScrollingTable label="Milestones"><table class="table">
          <caption class="visually-hidden">Milestones</caption>
          <thead>
            <tr>
              <th scope="col" class="numeric">
                Signatures
              </th>
              <th scope="col">What happens</th>
              <th scope="col">Reached</th>
            </tr>
          </thead>
          <tbody>
            {p.milestones.map((m) => (
              <tr>
                <td class="numeric">{formatNumber(m.threshold)}</td>
                <td>{m.label}</td>
                <td>{m.reachedAt ? formatLondon(m.reachedAt) : 'Not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table></ScrollingTable>
      )}
      <OutcomeSummary petition={p} />
    </Layout>
  );
}
