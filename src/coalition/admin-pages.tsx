import { Checkbox, FileInput, type FieldErrors } from '../platform/index.ts';

/** Shared parts of the coalition's admin pages: page numbers, times, after-save notices. */

export const PER_PAGE = 25;


/** A route id (/admin/groups/12): a positive whole number, or undefined. */
export function idFrom(value: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : undefined;
}

/** The current logo (if any) with a way to remove it, and a file field for a new one. */
export function LogoField({ logoUrl, errors, removeChecked, label = 'Logo (optional)' }: { logoUrl: string | null; errors?: FieldErrors | undefined; removeChecked: boolean; label?: string }) {
  return (
    <>
      {logoUrl ? (
        <div class="form-group">
          <p class="label">Current logo</p>
          <img class="logo-preview" src={logoUrl} alt="The current logo" width={96} height={96} />
          <Checkbox name="removeLogo" label="Remove the logo" checked={removeChecked} />
        </div>
      ) : null}
      <FileInput
        name="logo"
        label={logoUrl ? 'Replace the logo (optional)' : label}
        hint={`A PNG, JPEG, WebP or GIF image, 5 MB or smaller. A square image works best.${errors ? ' If you chose a file, choose it again.' : ''}`}
        accept="image/png,image/jpeg,image/webp,image/gif"
        errors={errors}
      />
    </>
  );
}
