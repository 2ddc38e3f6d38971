import type { Group } from '../../coalition/index.ts';
import { Button, Checkbox, ChoiceGroup, ErrorSummary, Form, Layout, Notice, type FieldErrors } from '../../platform/index.ts';
import type { PetitionRules } from '../petition-rules.ts';

/** The coalition's rules for petitions: who may approve their own, and which groups' organisers see every signer. */
export function PetitionSettingsPage({ rules, groups, saved, errors }: { rules: PetitionRules; groups: Group[]; saved?: boolean; errors?: FieldErrors | undefined }) {
  return (
    <Layout title="Petition settings" breadcrumbs={[{ href: '/admin/petitions', label: 'Petitions' }]}>
      {saved ? <Notice>The petition settings have been saved.</Notice> : null}
      <ErrorSummary errors={errors} />
      <h1>Petition settings</h1>
      <Form action="/admin/petitions/settings">
        <h2>Moderation</h2>
        <Checkbox
          name="admins_approve_own"
          label="Admins may approve petitions they started themselves"
          hint="Off: a petition an admin started is approved by another admin or a moderator."
          checked={rules.adminsApproveOwn}
          errors={errors}
        />
        <h2>Signers organisers see</h2>
        <ChoiceGroup
          type="checkbox"
          name="all_signers_groups"
          legend="Groups whose organisers see every signer of their petitions"
          hint="Otherwise a group’s organisers see only the signers who agreed to hear from the group, and a count of the others. The names and counts for a hand-in always include everyone."
          options={groups.map((g) => ({ value: String(g.id), label: g.name }))}
          selected={rules.allSignersGroupIds.map(String)}
          errors={errors}
        />
        <Button>Save the settings</Button>
      </Form>
    </Layout>
  );
}
