import { Button, ChoiceGroup, ErrorSummary, Form, Layout, TextArea, TextInput, formatNumber, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { invalidationKinds, type InvalidationCriterion, type InvalidationPreview } from '../invalidate-signatures.ts';
import type { Petition } from '../store.ts';
import { petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

/** Step 1: what to match, and why. */
export function InvalidateFormPage({ petition, values, errors }: { petition: Petition; values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <Layout title="Invalidate signatures" breadcrumbs={petitionCrumbs(petition)}>
      <ErrorSummary errors={errors} />
      <h1>Invalidate signatures</h1>
      <p>
        Invalidated signatures stop counting at once, and unconfirmed ones can no longer be confirmed. You will see how many match
        before anything changes.
      </p>
      <Form action={petitionAdminPath(petition.id, 'invalidate/preview')}>
        <ChoiceGroup
          type="radio"
          name="kind"
          legend="Match signatures by"
          options={Object.entries(invalidationKinds).map(([value, k]) => ({ value, label: k.label, hint: k.hint }))}
          selected={values.kind ? [values.kind] : []}
          errors={errors}
        />
        <TextInput name="value" label="Address, domain or range to match" spellcheck={false} errors={errors} values={values} />
        <TextArea name="reason" label="Reason" hint="Kept in the audit log and on each signature, 500 characters or fewer" rows={3} errors={errors} values={values} />
        <Button variant="secondary">Check how many match</Button>
      </Form>
    </Layout>
  );
}

function describe(criterion: InvalidationCriterion): string {
  return `${invalidationKinds[criterion.kind].label.toLowerCase()} ${criterion.value}`;
}

/** Step 2: the count, and the button that does it. */
export function InvalidatePreviewPage(props: { petition: Petition; criterion: InvalidationCriterion; reason: string; preview: InvalidationPreview }) {
  const { petition, criterion, reason, preview } = props;
  return (
    <Layout title="Check before invalidating" breadcrumbs={petitionCrumbs(petition)}>
      <h1>Check before invalidating</h1>
      <p class="lead" id="invalidation-count">
        {formatNumber(preview.total)} {preview.total === 1 ? 'signature matches' : 'signatures match'} the {describe(criterion)}.
      </p>
      <ul>
        <li>{formatNumber(preview.counted)} of them are counted now and will come off the total.</li>
        <li>{formatNumber(preview.held)} are held as suspect.</li>
        <li>The rest have not been confirmed yet.</li>
      </ul>
      {preview.total === 0 ? (
        <p>
          <a href={petitionAdminPath(petition.id, 'invalidate')}>Try a different match</a>
        </p>
      ) : (
        <Form action={petitionAdminPath(petition.id, 'invalidate')}>
          <input type="hidden" name="kind" value={criterion.kind} />
          <input type="hidden" name="value" value={criterion.value} />
          <input type="hidden" name="reason" value={reason} />
          <Button variant="warning">
            Invalidate {formatNumber(preview.total)} {preview.total === 1 ? 'signature' : 'signatures'}
          </Button>
          <a href={petitionAdminPath(petition.id, 'invalidate')} class="button button--secondary">
            Cancel
          </a>
        </Form>
      )}
    </Layout>
  );
}
