import { ChoiceGroup, Select, TextInput, type FieldErrors } from '../../platform/index.ts';
import type { DraftCondition } from './builder-query.ts';
import { regions } from './regions.ts';
import { actionLabel } from './describe-segment.ts';
import type { Seat, SeatSearch } from './constituency-picker.ts';

/** What the builder offers to choose from (all limited to what the viewer may see). */
export interface BuilderChoices {
  tags: Array<{ id: number; name: string; groupName: string | null }>;
  lists: Array<{ id: number; name: string; groupName: string | null }>;
  purposes: Array<{ id: number; name: string }>;
  actionKinds: string[];
  /** Petitions the viewer may count signers of, newest first (only the builder page needs them). */
  petitions?: Array<{ id: number; title: string }>;
  /** Every constituency, by name (only when a constituency condition is shown). */
  seats?: Seat[];
  /** What other capabilities offer to build on (platform/person-activity.ts), each with the viewer's subjects. */
  activities?: Array<{ key: string; label: string; subjectLabel: string; anySubject: string; subjects: Array<{ id: number; name: string }> }>;
}

/** The id of the <datalist> of constituency names the builder page holds once. */
export const SEAT_NAMES_LIST = 'segment-seat-names';

function owned(item: { name: string; groupName: string | null }): string {
  return `${item.name} (${item.groupName ?? 'whole coalition'})`;
}

function NoneYet({ what, href }: { what: string; href: string }) {
  return (
    <p>
      There are no {what} yet. <a href={href}>Create {what}</a>, then come back.
    </p>
  );
}

/** The inputs of one condition, named `c<index>.<field>` as the query string carries them. */
function SeatPicker({ index, condition, choices, errors, search }: ConditionFieldsProps) {
  const name = (field: string) => `c${index}.${field}`;
  const names = new Map((choices.seats ?? []).map((s) => [s.code, s.name]));
  const chosen = [...new Set(condition.values.codes ?? [])];
  const matches = search?.matches ?? [];
  const findId = `field-c${index}-find`;
  return (
    <>
      <ChoiceGroup
        type="checkbox"
        name={name('codes')}
        legend="In any of these constituencies"
        hint={
          chosen.length === 0 && matches.length === 0
            ? 'None chosen yet: find them by name or postcode, or add a whole region, below.'
            : 'Ticked ones count. Untick one to take it out; tick a search result to add it.'
        }
        options={[...chosen.map((code) => ({ value: code, label: names.get(code) ?? code })), ...matches.map((s) => ({ value: s.code, label: s.name, hint: 'Search result: tick to add' }))]}
        selected={chosen}
        errors={errors}
      />
      <div class="form-group segment-seat-find" data-seat-find={name('codes')} data-seat-choices={`field-c${index}-codes-hint`}>
        <label class="label" for={findId}>
          Find a constituency by name or postcode
        </label>
        <div class="hint" id={`${findId}-hint`}>
          For example Hendon, or SW1A 1AA.
        </div>
        {search?.message ? (
          <p class="hint segment-seat-find__message" id={`${findId}-message`} role="status">
            {search.message}
          </p>
        ) : null}
        <input
          class="input input--20"
          id={findId}
          name={name('find')}
          type="search"
          value={condition.values.find?.[0] ?? ''}
          list={SEAT_NAMES_LIST}
          autocomplete="off"
          spellcheck={false}
          aria-describedby={`${findId}-hint${search?.message ? ` ${findId}-message` : ''}`}
        />{' '}
        <button type="submit" class="button button--secondary button--small" name="find" value={String(index)}>
          Find
        </button>
      </div>
      <div class="segment-seat-region">
        <Select name={name('fromRegion')} label="Or add every constituency in a region or nation" placeholder="Choose a region" options={regions.map((r) => ({ value: r.code, label: r.name }))} value="" />
        <button type="submit" class="button button--secondary button--small" name="find" value={String(index)}>
          Add the region’s constituencies
        </button>
      </div>
    </>
  );
}

interface ConditionFieldsProps {
  index: number;
  condition: DraftCondition;
  choices: BuilderChoices;
  errors: FieldErrors | undefined;
  /** The constituency search's answer for this condition. */
  search?: SeatSearch | undefined;
}

export function ConditionFields(props: ConditionFieldsProps) {
  const { index, condition, choices, errors } = props;
  const name = (field: string) => `c${index}.${field}`;
  const one = (field: string) => condition.values[field]?.[0] ?? '';
  const dates = (
    <div class="segment-condition__dates">
      <TextInput name={name('since')} label="Since (inclusive)" type="date" width="10" value={one('since')} errors={errors} />
      <TextInput name={name('before')} label="Before" type="date" width="10" value={one('before')} errors={errors} />
    </div>
  );
  switch (condition.kind) {
    case 'constituency':
      return <SeatPicker {...props} />;
    case 'region':
      return (
        <ChoiceGroup
          type="checkbox"
          name={name('regions')}
          legend="In any of these regions or nations"
          options={regions.map((r) => ({ value: r.code, label: r.name }))}
          selected={condition.values.regions}
          errors={errors}
        />
      );
    case 'tags':
      return choices.tags.length === 0 ? (
        <NoneYet what="tags" href="/admin/tags" />
      ) : (
        <>
          <ChoiceGroup
            type="radio"
            inline
            name={name('tagMatch')}
            legend="People who have"
            options={[
              { value: 'any', label: 'any of these tags' },
              { value: 'all', label: 'all of these tags' },
              { value: 'none', label: 'none of these tags' },
            ]}
            selected={[one('tagMatch') || 'any']}
            errors={errors}
          />
          <ChoiceGroup
            type="checkbox"
            name={name('tags')}
            legend="Tags"
            options={choices.tags.map((t) => ({ value: String(t.id), label: owned(t) }))}
            selected={condition.values.tags}
            errors={errors}
          />
        </>
      );
    case 'lists':
      return choices.lists.length === 0 ? (
        <NoneYet what="lists" href="/admin/lists" />
      ) : (
        <ChoiceGroup
          type="checkbox"
          name={name('lists')}
          legend="On any of these lists"
          options={choices.lists.map((l) => ({ value: String(l.id), label: owned(l) }))}
          selected={condition.values.lists}
          errors={errors}
        />
      );
    case 'action': {
      const kinds = [...new Set([...choices.actionKinds, 'petition.signed', one('action')].filter(Boolean))]
        .map((k) => ({ value: k, label: actionLabel(k) }))
        .sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
      const petitions = choices.petitions ?? [];
      const subject = one('subject');
      const aboutPetitions = (one('action') === '' || one('action').startsWith('petition.')) && petitions.length > 0;
      const petitionOptions = [
        { value: '', label: 'Any petition' },
        ...petitions.map((p) => ({ value: String(p.id), label: p.title })),
        ...(subject && !petitions.some((p) => String(p.id) === subject) ? [{ value: subject, label: `Petition number ${subject}` }] : []),
      ];
      return (
        <>
          <Select name={name('action')} label="Action" placeholder="Choose an action" options={kinds} value={one('action')} errors={errors} />
          {aboutPetitions ? (
            <Select name={name('subject')} label="Which petition (optional)" options={petitionOptions} value={subject} errors={errors} />
          ) : (
            <TextInput name={name('subject')} label="Which one (optional)" hint="For example the mailing’s number. Leave empty for any." width="10" value={subject} errors={errors} />
          )}
          {dates}
        </>
      );
    }
    case 'consent':
      return (
        <Select
          name={name('purpose')}
          label="Has live consent to hear about"
          placeholder="Choose a purpose"
          options={choices.purposes.map((p) => ({ value: String(p.id), label: p.name }))}
          value={one('purpose')}
          errors={errors}
        />
      );
    case 'created':
      return dates;
    case 'activity': {
      const activities = choices.activities ?? [];
      const chosen = activities.find((a) => a.key === one('activity')) ?? activities[0];
      const subject = one('subject');
      const subjects = chosen?.subjects ?? [];
      return (
        <>
          <Select name={name('activity')} label="What they did" options={activities.map((a) => ({ value: a.key, label: a.label }))} value={chosen?.key ?? ''} errors={errors} />
          <Select
            name={name('subject')}
            label={`${chosen?.subjectLabel ?? 'Which one'} (optional)`}
            options={[
              { value: '', label: chosen?.anySubject ?? 'Any' },
              ...subjects.map((s) => ({ value: String(s.id), label: s.name })),
              ...(subject && !subjects.some((s) => String(s.id) === subject) ? [{ value: subject, label: `Number ${subject}` }] : []),
            ]}
            value={subject}
            errors={errors}
          />
        </>
      );
    }
  }
}
