import { ActionButton, Button, ChoiceGroup, ErrorSummary, Form, Layout, Notice, Pagination, TextArea, formatLondon, type FieldErrors, type FormValues } from '../../platform/index.ts';
import type { PageOf } from '../admin-store.ts';
import { rejectionReasons } from '../states.ts';
import type { Petition } from '../store.ts';
import { petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

const notices: Record<string, string> = {
  approved: 'Approved: the petition is open for signatures.',
  rejected: 'Rejected. The reason is shown on the public page.',
  hidden: 'Hidden from the public.',
};

function QueueItem({ petition: p, mayApprove }: { petition: Petition; mayApprove: boolean }) {
  return (
    <li class="moderation-queue__item">
      <h2 class="moderation-queue__title">
        <a href={petitionAdminPath(p.id)}>{p.action}</a>
      </h2>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>Groups</dt>
          <dd>{p.groups.map((g) => g.name).join(', ')}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Addressed to</dt>
          <dd>{p.target}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Submitted</dt>
          <dd>{p.submittedAt ? formatLondon(p.submittedAt) : 'Not recorded'}</dd>
        </div>
      </dl>
      <p class="petition-text">{p.background}</p>
      {p.additionalDetails ? <p class="petition-text">{p.additionalDetails}</p> : null}
      <div class="moderation-queue__actions">
        {mayApprove ? (
          <>
            <ActionButton action={petitionAdminPath(p.id, 'approve')} variant="primary" fields={{ from: 'moderation' }}>
              Approve<span class="visually-hidden">: {p.action}</span>
            </ActionButton>{' '}
          </>
        ) : (
          <p class="hint">You started this petition, so another admin or a moderator approves it.</p>
        )}
        <a href={petitionAdminPath(p.id, 'reject')} class="button button--secondary button--small">
          Reject<span class="visually-hidden">: {p.action}</span>
        </a>{' '}
        <ActionButton action={petitionAdminPath(p.id, 'hide')} variant="warning" fields={{ from: 'moderation' }}>
          Hide<span class="visually-hidden">: {p.action}</span>
        </ActionButton>
      </div>
    </li>
  );
}

/** Petitions awaiting moderation, oldest first, each with approve / reject / hide. */
export function ModerationQueuePage({ result, notice, mayApprove }: { result: PageOf<Petition>; notice?: string | undefined; mayApprove: (p: Petition) => boolean }) {
  const message = notice ? notices[notice] : undefined;
  return (
    <Layout title="Moderation" wide>
      {message ? <Notice>{message}</Notice> : null}
      <h1>Moderation</h1>
      <p>
        {result.total === 0
          ? 'No petitions are waiting for moderation.'
          : `${result.total} ${result.total === 1 ? 'petition is' : 'petitions are'} waiting, the longest-waiting first.`}
      </p>
      <ol class="moderation-queue">
        {result.items.map((p) => (
          <QueueItem petition={p} mayApprove={mayApprove(p)} />
        ))}
      </ol>
      <Pagination page={result.page} totalPages={result.totalPages} href={(n) => `/admin/moderation?page=${n}`} />
    </Layout>
  );
}

/** Choose a published reason and explain it. */
export function RejectPage({ petition, errors, values }: { petition: Petition; errors?: FieldErrors | undefined; values?: FormValues | undefined }) {
  return (
    <Layout title="Reject the petition" breadcrumbs={petitionCrumbs(petition)}>
      <ErrorSummary errors={errors} />
      <h1>Reject “{petition.action}”</h1>
      <p>The reason and your explanation are shown on the petition’s public page.</p>
      <Form action={petitionAdminPath(petition.id, 'reject')}>
        <ChoiceGroup
          type="radio"
          name="code"
          legend="Why is it being rejected?"
          options={Object.entries(rejectionReasons).map(([value, label]) => ({ value, label }))}
          selected={values?.code ? [values.code] : []}
          errors={errors}
        />
        <TextArea name="details" label="Explain the decision" hint="A sentence or two, 1,000 characters or fewer. Shown publicly." rows={4} errors={errors} values={values} />
        <Button variant="warning">Reject the petition</Button>
      </Form>
    </Layout>
  );
}
