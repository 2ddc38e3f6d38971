import { Button, ErrorSummary, Form, Layout, TextArea, TextInput, type FieldErrors, type FormValues } from '../../platform/index.ts';
import type { Petition } from '../store.ts';
import { petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

/** The outcome form's values for what is recorded now. */
export function outcomeValues(p: Petition): FormValues {
  return {
    response_date: p.response?.date ?? '',
    response_summary: p.response?.summary ?? '',
    response_details: p.response?.details ?? '',
    hand_in_date: p.handIn?.date ?? '',
    hand_in_place: p.handIn?.place ?? '',
    hand_in_link: p.handIn?.link ?? '',
    debate_date: p.debate?.date ?? '',
    debate_links: (p.debate?.links ?? []).join('\n'),
    debate_outcome: p.debate?.outcome ?? '',
  };
}

/** Record the target's response, the hand-in, and the debate or meeting. */
export function OutcomesPage({ petition, values, errors }: { petition: Petition; values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <Layout title="What happened next" breadcrumbs={petitionCrumbs(petition)}>
      <ErrorSummary errors={errors} />
      <h1>What happened next</h1>
      <p>These show on the petition’s public page. Leave a section empty if it has not happened yet.</p>
      <Form action={petitionAdminPath(petition.id, 'outcomes')}>
        <fieldset class="fieldset">
          <legend class="fieldset__legend fieldset__legend--heading">The response</legend>
          <TextInput name="response_date" label="Date of the response" type="date" width="10" errors={errors} values={values} />
          <TextArea name="response_summary" label="Summary" hint="In a sentence or two, 500 characters or fewer" rows={3} errors={errors} values={values} />
          <TextArea name="response_details" label="The response in full (optional)" rows={8} errors={errors} values={values} />
        </fieldset>
        <fieldset class="fieldset">
          <legend class="fieldset__legend fieldset__legend--heading">The hand-in</legend>
          <TextInput name="hand_in_date" label="Date of the hand-in" type="date" width="10" errors={errors} values={values} />
          <TextInput name="hand_in_place" label="Where" hint="For example: County Hall, Exeter" errors={errors} values={values} />
          <TextInput name="hand_in_link" label="Link to a photo or video (optional)" type="url" hint="A full address starting with https://" errors={errors} values={values} />
        </fieldset>
        <fieldset class="fieldset">
          <legend class="fieldset__legend fieldset__legend--heading">The debate or meeting</legend>
          <TextInput name="debate_date" label="Date of the debate or meeting" type="date" width="10" errors={errors} values={values} />
          <TextArea name="debate_links" label="Links (optional)" hint="Recordings, minutes, transcripts: one full address a line" rows={3} errors={errors} values={values} />
          <TextArea name="debate_outcome" label="What was decided (optional)" rows={5} errors={errors} values={values} />
        </fieldset>
        <Button>Save</Button>
      </Form>
    </Layout>
  );
}
