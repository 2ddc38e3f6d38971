import type { Group } from '../../coalition/index.ts';
import { Button, Checkbox, ChoiceGroup, ErrorSummary, FileInput, Form, Layout, TextArea, TextInput, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { DEFAULT_RUN_MONTHS } from '../closing-date.ts';
import { ACTION_MAX, BACKGROUND_MAX, DETAILS_MAX, IMAGE_ALT_MAX, TARGET_MAX } from '../petition-form.ts';
import type { Petition } from '../store.ts';
import { petitionAdminPath, petitionCrumbs } from './petition-paths.ts';

export interface PetitionFormProps {
  /** Absent when starting a new petition. */
  petition?: Petition | undefined;
  /** Groups the viewer may choose. */
  groups: Group[];
  selectedGroups: string[];
  values: FormValues;
  errors?: FieldErrors | undefined;
}

function WordingFields({ groups, selectedGroups, values, errors }: Omit<PetitionFormProps, 'petition'>) {
  return (
    <>
      <ChoiceGroup
        type="checkbox"
        name="groups"
        legend="Which groups are behind this petition?"
        hint="Choose one or more"
        options={groups.map((g) => ({ value: String(g.id), label: g.name }))}
        selected={selectedGroups}
        errors={errors}
      />
      <TextInput
        name="target"
        label="Who is it addressed to?"
        hint="The person or body who can act: a Secretary of State, an Integrated Care Board, a council, an NHS trust..."
        maxLength={TARGET_MAX}
        errors={errors}
        values={values}
      />
      <TextInput
        name="action"
        label="What do you want them to do?"
        hint={`The petition's title: a clear action, ${ACTION_MAX} characters or fewer. For example: Keep the maternity unit at Ashworth General open`}
        maxLength={ACTION_MAX}
        errors={errors}
        values={values}
      />
      <TextArea name="background" label="Background" hint={`Why this matters, ${BACKGROUND_MAX} characters or fewer`} rows={4} maxLength={BACKGROUND_MAX} errors={errors} values={values} />
      <TextArea name="additional_details" label="More details (optional)" hint={`${DETAILS_MAX} characters or fewer`} rows={6} maxLength={DETAILS_MAX} errors={errors} values={values} />
    </>
  );
}

function ReadOnlyWording({ petition }: { petition: Petition }) {
  return (
    <>
      <p>The wording cannot change now that people can sign it.</p>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>Addressed to</dt>
          <dd>{petition.target}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Action</dt>
          <dd>{petition.action}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Groups</dt>
          <dd>{petition.groups.map((g) => g.name).join(', ')}</dd>
        </div>
      </dl>
    </>
  );
}

function MilestoneFields({ values, errors }: { values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <fieldset class="fieldset petition-form__milestones">
      <legend class="fieldset__legend">Milestones</legend>
      <p class="hint">Numbers of signatures that mean something. Leave a box empty to drop it.</p>
      <TextInput name="response_threshold" label="The target must respond at" width="10" inputmode="numeric" errors={errors} values={values} />
      <TextInput name="debate_threshold" label="We ask for a debate or public meeting at" width="10" inputmode="numeric" errors={errors} values={values} />
      <TextArea
        name="custom_milestones"
        label="Others (optional)"
        hint="One a line: the number of signatures, then what happens. For example: 25000 Hand it in at the council meeting"
        rows={3}
        errors={errors}
        values={values}
      />
    </fieldset>
  );
}

function ImageFields({ petition, values, errors }: { petition?: Petition | undefined; values: FormValues; errors?: FieldErrors | undefined }) {
  return (
    <fieldset class="fieldset">
      <legend class="fieldset__legend">Image (optional)</legend>
      {petition?.imageUrl ? (
        <div class="petition-form__current-image">
          <img src={petition.imageUrl} alt={petition.imageAlt ?? ''} width={240} />
          <Checkbox name="remove_image" label="Remove this image" checked={values.remove_image !== undefined} />
        </div>
      ) : null}
      <FileInput name="image" label={petition?.imageUrl ? 'Replace the image' : 'Choose an image'} hint="PNG, JPEG, WebP or GIF, 5 MB or smaller" accept="image/png,image/jpeg,image/webp,image/gif" errors={errors} />
      <TextInput
        name="image_alt"
        label="Describe the image"
        hint={`For people who cannot see it, ${IMAGE_ALT_MAX} characters or fewer. For example: Nurses and parents outside the maternity unit holding banners`}
        maxLength={IMAGE_ALT_MAX}
        errors={errors}
        values={values}
      />
    </fieldset>
  );
}

/** Start a petition, or edit one (everything before it opens; closing date, milestones and image after). */
export function PetitionFormPage(props: PetitionFormProps) {
  const { petition, values, errors } = props;
  const wordingEditable = !petition || petition.state === 'draft' || petition.state === 'awaiting_moderation';
  const title = petition ? 'Edit the petition' : 'Start a petition';
  return (
    <Layout title={title} breadcrumbs={petition ? petitionCrumbs(petition) : [{ href: '/admin/petitions', label: 'Petitions' }]}>
      <h1>{title}</h1>
      <ErrorSummary errors={errors} />
      <Form action={petition ? petitionAdminPath(petition.id, 'edit') : '/admin/petitions/new'} multipart class="petition-form">
        {wordingEditable ? <WordingFields {...props} /> : <ReadOnlyWording petition={petition!} />}
        {petition?.state === 'closed' ? null : (
          <TextInput
            name="closing_date"
            label={wordingEditable ? 'Closing date (optional)' : 'Closing date'}
            hint={wordingEditable ? `Leave empty to close ${DEFAULT_RUN_MONTHS} months after it opens. For example: 2027-03-31` : 'For example: 2027-03-31'}
            type="date"
            width="10"
            errors={errors}
            values={values}
          />
        )}
        <MilestoneFields values={values} errors={errors} />
        <ImageFields petition={petition} values={values} errors={errors} />
        <Button>{petition ? 'Save changes' : 'Save as a draft'}</Button>
      </Form>
    </Layout>
  );
}
