import { DomainError } from '../platform/http/errors.ts';
import { Checkbox, FileInput, Notice } from '../platform/web/components.tsx';
import { errorsFrom, type FieldErrors } from '../platform/web/forms.ts';
import { formatLondon } from '../platform/web/format.ts';

/** Shared parts of the coalition's admin pages: page numbers, times, after-save notices. */

export const PER_PAGE = 25;


/** A route id (/admin/groups/12): a positive whole number, or undefined. */
export function idFrom(value: string): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : undefined;
}

/** A moment shown in UK time (stored in UTC), with the exact instant for machines. */
export function LondonTime({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatLondon(date)}</time>;
}

/**
 * The success message for `?notice=key` after a redirect (post/redirect/get). Only the page's own
 * keys show anything, so the query string cannot put words on the page.
 */
export function QueryNotice({ query, messages }: { query: unknown; messages: Record<string, string> }) {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  const message = typeof key === 'string' && Object.hasOwn(messages, key) ? messages[key] : undefined;
  return message ? <Notice>{message}</Notice> : null;
}

export type Saved<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * Runs a save that may refuse a field (a taken slug, a file that is not an image) and turns that
 * refusal into form errors for redisplay; anything else propagates to the error page.
 */
export async function saveOrFieldErrors<T>(save: () => Promise<T>): Promise<Saved<T>> {
  try {
    return { ok: true, value: await save() };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'invalid') return { ok: false, errors: errorsFrom(error) };
    throw error;
  }
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
