import { ChoiceGroup, Select, TextInput, type FieldErrors } from '../../platform/index.ts';
import type { DraftCondition } from './builder-query.ts';
import { regions } from './regions.ts';
import { actionLabel } from './describe-segment.ts';

/** What the builder offers to choose from (all limited to what the viewer may see). */
export interface BuilderChoices {
  tags: Array<{ id: number; name: string; groupName: string | null }>;
  lists: Array<{ id: number; name: string; groupName: string | null }>;
  purposes: Array<{ id: number; name: string }>;
  actionKinds: string[];
  /** Petitions the viewer may count signers of, newest first (only the builder page needs them). */
  petitions?: Array<{ id: number; title: string }>;
}

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
export function ConditionFields({ index, condition, choices, errors }: { index: number; condition: DraftCondition; choices: BuilderChoices; errors: FieldErrors | undefined }) {
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
      return (
        <TextInput
          name={name('codes')}
          label="Constituency codes"
          hint="Separate codes with commas, for example E14001063, E14001064. Each constituency page shows its code."
          value={one('codes')}
          errors={errors}
          spellcheck={false}
        />
      );
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
  }
}
