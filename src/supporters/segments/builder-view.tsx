import { Button, Checkbox, ChoiceGroup, ErrorSummary, Form, Layout, Select, TextInput, formatNumber, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { queryFromDraft, type Draft } from './builder-query.ts';
import { ConditionFields, SEAT_NAMES_LIST, type BuilderChoices } from './condition-fields.tsx';
import type { SeatSearch } from './constituency-picker.ts';
import { conditionKinds } from './definition.ts';

export interface BuilderPageProps {
  /** Editing a saved segment (its id and name), or building a new one. */
  segment?: { id: number; name: string; groupId: number | null };
  draft: Draft;
  choices: BuilderChoices;
  /** Answers to constituency searches, by condition index. */
  seatSearches?: Map<number, SeatSearch>;
  /** Null when the conditions have problems. */
  count: number | null;
  /** The conditions are still being filled in (a condition was just added or removed): not counted, not flagged. */
  unchecked?: boolean;
  errors?: FieldErrors | undefined;
  /** Who may own the segment: the coalition (admins) and the viewer's groups. */
  owners: Array<{ value: string; label: string }>;
  saveValues?: FormValues | undefined;
  saveErrors?: FieldErrors | undefined;
}

export function formatCount(n: number): string {
  return `${formatNumber(n)} ${n === 1 ? 'person matches' : 'people match'}`;
}

function kindLabel(kind: string): string {
  return conditionKinds.find((k) => k.kind === kind)?.label ?? kind;
}

/**
 * The segment builder: a GET form (conditions in the query string) that works without
 * JavaScript ("Update count" reloads with the count), plus a separate POST form to save.
 * public/segments.js updates the count as fields change.
 */
export function BuilderPage(props: BuilderPageProps) {
  const { draft, segment, errors } = props;
  const action = segment ? `/admin/segments/${segment.id}/edit` : '/admin/segments/new';
  const title = segment ? `Edit segment: ${segment.name}` : 'New segment';
  const allErrors = { ...(errors ?? {}), ...(props.saveErrors ?? {}) };
  return (
    <Layout title={title} wide scripts={['segments.js']} breadcrumbs={[{ href: '/admin/segments', label: 'Segments' }]}>
      <h1>{title}</h1>
      <ErrorSummary errors={allErrors} />
      <Form method="get" action={action} id="segment-builder" class="segment-builder">
        {/* The form's first button, so Enter in a field (a constituency search) refreshes rather than removing a condition. */}
        <button type="submit" name="find" value="enter" hidden>
          Refresh
        </button>
        <ChoiceGroup
          type="radio"
          inline
          name="match"
          legend="Include people who match"
          options={[
            { value: 'all', label: 'all of the conditions' },
            { value: 'any', label: 'any of the conditions' },
          ]}
          selected={[draft.match]}
          errors={errors}
        />
        {draft.conditions.length === 0 ? <p>No conditions yet: the segment is everyone you can see. Add a condition below.</p> : null}
        {draft.conditions.map((condition, index) => (
          <fieldset class="fieldset segment-condition">
            <legend class="fieldset__legend">
              Condition {index + 1}: {kindLabel(condition.kind)}
            </legend>
            <input type="hidden" name={`c${index}.kind`} value={condition.kind} />
            <ConditionFields index={index} condition={condition} choices={props.choices} errors={index === draft.fresh ? undefined : errors} search={props.seatSearches?.get(index)} />
            <Checkbox name={`c${index}.not`} label="Exclude the people who match this condition instead (not)" checked={condition.not} />
            <button type="submit" class="button button--secondary button--small" name="remove" value={String(index)}>
              Remove condition {index + 1}
            </button>
          </fieldset>
        ))}
        <fieldset class="fieldset segment-add">
          <legend class="fieldset__legend">Add a condition on</legend>
          {conditionKinds.map((k) => (
            <button type="submit" class="button button--secondary button--small" name="add" value={k.kind}>
              {k.label}
            </button>
          ))}
        </fieldset>
        <div class="segment-count" data-count-url="/admin/segments/count">
          <p aria-live="polite" id="segment-count">
            {props.count !== null ? formatCount(props.count) : props.unchecked ? 'Fill in the conditions, then choose “Update count” to see how many people match.' : 'Fix the problems above to see how many people match.'}
          </p>
          <p class="hint">Counts the people you can see: everyone for coalition admins, your groups’ people for group organisers.</p>
          <Button variant="secondary">Update count</Button>
        </div>
      </Form>
      {props.choices.seats ? (
        <datalist id={SEAT_NAMES_LIST}>
          {props.choices.seats.map((s) => (
            <option value={s.name} data-code={s.code} />
          ))}
        </datalist>
      ) : null}
      <SaveForm {...props} />
    </Layout>
  );
}

function SaveForm({ segment, draft, owners, saveValues, saveErrors, count }: BuilderPageProps) {
  const values = saveValues ?? (segment ? { name: segment.name, group: segment.groupId === null ? 'coalition' : String(segment.groupId) } : {});
  return (
    <section aria-labelledby="save-heading" class="segment-save">
      <h2 id="save-heading">{segment ? 'Save changes' : 'Save this segment'}</h2>
      <p>Saves the conditions as last counted above{count === null ? ' (fix the problems first)' : ''}.</p>
      <Form action={segment ? `/admin/segments/${segment.id}` : '/admin/segments'} id="segment-save">
        <input type="hidden" name="query" value={queryFromDraft({ ...draft, conditions: draft.conditions.filter((_, i) => i !== draft.fresh) })} />
        <TextInput name="name" label="Segment name" width="20" maxLength={120} values={values} errors={saveErrors} />
        <Select name="group" label="Owned by" options={owners} values={values} errors={saveErrors} />
        <Button>{segment ? 'Save changes' : 'Save segment'}</Button>
      </Form>
    </section>
  );
}
