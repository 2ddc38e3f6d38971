import { ChoiceGroup, Select, TextInput, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { REPEAT_COUNT_MAX, RULE_MAX, repeatChoices } from '../repeat-rule.ts';

const repeatOptions = Object.entries(repeatChoices).map(([value, label]) => ({ value, label }));

/** The event form's repeat fields: the simple choices, and an RRULE for anything else. */
export function RepeatFields({ values, errors }: { values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <fieldset class="fieldset">
      <legend class="fieldset__legend">Repeats</legend>
      <Select name="repeat" label="Does it repeat?" hint="A weekly stall, a monthly meeting: the weekday is the start’s, at the same UK time each date" options={repeatOptions} values={values} errors={errors} />
      <ChoiceGroup
        type="radio"
        name="repeat_end"
        legend="Until"
        options={[
          { value: 'until', label: 'A date' },
          { value: 'count', label: 'A number of times' },
        ]}
        selected={values.repeat_end ? [values.repeat_end] : []}
        errors={errors}
        inline
      />
      <TextInput name="repeat_until" type="date" label="Last date" hint="For example 2027-06-30" width="10" values={values} errors={errors} />
      <TextInput name="repeat_count" label="How many times in all" hint={`From 2 to ${REPEAT_COUNT_MAX}`} width="5" inputmode="numeric" values={values} errors={errors} />
      <TextInput
        name="rrule"
        label="Or a repeat rule (advanced)"
        hint="An iCalendar RRULE, used instead of the choices above, for example FREQ=MONTHLY;BYDAY=-1FR;COUNT=6 for the last Friday of six months"
        maxLength={RULE_MAX}
        spellcheck={false}
        values={values}
        errors={errors}
      />
    </fieldset>
  );
}
