import { z } from 'zod';
import { Button, ErrorSummary, Form, TextInput, type FieldErrors } from '../platform/index.ts';
import { passwordSchema } from './passwords.ts';

/** New password twice (and, when changing one, the current password). */
export const newPasswordForm = z
  .object({ password: passwordSchema, confirm: z.string().optional(), current: z.string().optional() })
  .refine((v) => v.password === v.confirm, { message: 'The passwords do not match', path: ['confirm'] });

/** The password fields with their error summary; passwords are never put back in the form. */
export function NewPasswordForm({ action, errors, needsCurrent }: { action: string; errors?: FieldErrors | undefined; needsCurrent?: boolean | undefined }) {
  return (
    <>
      <ErrorSummary errors={errors} />
      <Form action={action}>
        {needsCurrent ? <TextInput name="current" label="Current password" type="password" autocomplete="current-password" errors={errors} /> : null}
        <TextInput
          name="password"
          label="New password"
          hint="At least 12 characters. A few unrelated words make a strong password."
          type="password"
          autocomplete="new-password"
          errors={errors}
        />
        <TextInput name="confirm" label="Type the new password again" type="password" autocomplete="new-password" errors={errors} />
        <Button>Save password</Button>
      </Form>
    </>
  );
}
