import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { usePage } from './context.ts';
import { formatLondon } from './format.ts';
import type { FieldErrors, FormValues } from './forms.ts';

/** Hidden CSRF token for a form; the cookie half is set when the page renders. */
export function CsrfField() {
  const page = usePage();
  return <input type="hidden" name="_csrf" value={page.csrfToken()} />;
}

export function fieldId(name: string): string {
  return `field-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

/** GOV.UK error summary: shown at the top of a form that failed, linking to each field. */
export function ErrorSummary({ errors }: { errors: FieldErrors | undefined }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-module="error-summary">
      <h2 class="error-summary__title" id="error-summary-title">
        There is a problem
      </h2>
      <ul class="error-summary__list">
        {entries.map(([name, message]) => (
          <li>
            <a href={`#${fieldId(name)}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface FormProps {
  action: string;
  method?: 'post' | 'get';
  children: ComponentChildren;
  /** multipart/form-data for file uploads. */
  multipart?: boolean;
  /** Forms served from cached pages protect themselves another way (Origin checks) and omit the token. */
  csrf?: boolean;
  class?: string;
  id?: string;
}

export function Form({ action, method = 'post', children, multipart = false, csrf = true, class: className, id }: FormProps) {
  const page = usePage();
  // An upload's token also rides in the address, so the server checks it before reading the file.
  const target = multipart && method === 'post' && csrf ? `${action}${action.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(page.csrfToken())}` : action;
  return (
    <form
      action={target}
      method={method}
      enctype={multipart ? 'multipart/form-data' : undefined}
      class={className}
      id={id}
      noValidate
    >
      {method === 'post' && csrf ? <CsrfField /> : null}
      {children}
    </form>
  );
}

interface FieldProps {
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: FieldErrors | undefined;
  values?: FormValues | undefined;
  /** Overrides values[name]. */
  value?: string | undefined;
}

function Hint({ id, hint }: { id: string; hint: ComponentChildren }) {
  return hint ? (
    <div class="hint" id={`${id}-hint`}>
      {hint}
    </div>
  ) : null;
}

function ErrorMessage({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p class="error-message" id={`${id}-error`}>
      <span class="visually-hidden">Error:</span> {message}
    </p>
  ) : null;
}

function describedBy(id: string, hint: unknown, error: string | undefined): string | undefined {
  const parts = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}

/** The GOV.UK form group around one control: its label, hint and error message. */
function LabelledField(props: { id: string; label: ComponentChildren; hint: ComponentChildren; error: string | undefined; children: ComponentChildren }) {
  return (
    <div class={props.error ? 'form-group form-group--error' : 'form-group'}>
      <label class="label" for={props.id}>
        {props.label}
      </label>
      <Hint id={props.id} hint={props.hint} />
      <ErrorMessage id={props.id} message={props.error} />
      {props.children}
    </div>
  );
}

export interface TextInputProps extends FieldProps {
  type?: 'text' | 'email' | 'url' | 'password' | 'tel' | 'number' | 'date' | 'datetime-local' | 'search' | 'color';
  autocomplete?: string;
  width?: 'full' | '20' | '10' | '5';
  required?: boolean;
  maxLength?: number;
  spellcheck?: boolean;
  inputmode?: 'numeric' | 'text' | 'email' | 'tel' | 'url';
  /** The id of a <datalist> offering choices (typing anything else stays allowed). */
  list?: string;
}

export function TextInput(props: TextInputProps) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  const value = props.value ?? props.values?.[props.name] ?? '';
  return (
    <LabelledField id={id} label={props.label} hint={props.hint} error={error}>
      <input {...inputAttributes(props, id, value, error)} />
    </LabelledField>
  );
}

function inputAttributes(props: TextInputProps, id: string, value: string, error: string | undefined) {
  // Built as a plain object: preact types each input `type` separately, and this field takes several.
  const attributes: Record<string, unknown> = {
    class: `input input--${props.width ?? 'full'}${error ? ' input--error' : ''}`,
    id,
    name: props.name,
    type: props.type ?? 'text',
    value: props.type === 'password' ? '' : value,
    autocomplete: props.autocomplete,
    'aria-describedby': describedBy(id, props.hint, error),
    'aria-invalid': error ? 'true' : undefined,
    required: props.required,
    maxLength: props.maxLength,
    spellcheck: props.spellcheck,
    inputMode: props.inputmode,
    list: props.list,
  };
  return attributes as InputHTMLAttributes;
}

export interface TextAreaProps extends FieldProps {
  rows?: number;
  maxLength?: number;
}

export function TextArea(props: TextAreaProps) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  const value = props.value ?? props.values?.[props.name] ?? '';
  return (
    <LabelledField id={id} label={props.label} hint={props.hint} error={error}>
      <textarea
        class={error ? 'textarea input--error' : 'textarea'}
        id={id}
        name={props.name}
        rows={props.rows ?? 5}
        aria-describedby={describedBy(id, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
        data-maxlength={props.maxLength}
      >
        {value}
      </textarea>
    </LabelledField>
  );
}

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

export interface SelectProps extends FieldProps {
  options: Option[];
  /** A first, empty choice such as "Choose a country". */
  placeholder?: string;
}

export function Select(props: SelectProps) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  const value = props.value ?? props.values?.[props.name] ?? '';
  return (
    <LabelledField id={id} label={props.label} hint={props.hint} error={error}>
      <select
        class={error ? 'select input--error' : 'select'}
        id={id}
        name={props.name}
        aria-describedby={describedBy(id, props.hint, error)}
        aria-invalid={error ? 'true' : undefined}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

export interface ChoiceGroupProps {
  name: string;
  legend: ComponentChildren;
  hint?: ComponentChildren;
  options: Option[];
  errors?: FieldErrors | undefined;
  /** Selected values. */
  selected?: string[] | undefined;
  /** checkbox: any number; radio: one. */
  type: 'checkbox' | 'radio';
  inline?: boolean;
}

/** A fieldset of radios or checkboxes with a legend, hint and error, GOV.UK style. */
export function ChoiceGroup(props: ChoiceGroupProps) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  const selected = new Set(props.selected ?? []);
  return (
    <div class={error ? 'form-group form-group--error' : 'form-group'}>
      <fieldset class="fieldset" aria-describedby={describedBy(id, props.hint, error)}>
        <legend class="fieldset__legend">{props.legend}</legend>
        <Hint id={id} hint={props.hint} />
        <ErrorMessage id={id} message={error} />
        <div class={`choices${props.inline ? ' choices--inline' : ''}`}>
          {props.options.map((o, index) => {
            const optionId = index === 0 ? id : `${id}-${index + 1}`;
            return (
              <div class="choice">
                <input
                  class="choice__input"
                  id={optionId}
                  name={props.name}
                  type={props.type}
                  value={o.value}
                  checked={selected.has(o.value)}
                  aria-describedby={o.hint ? `${optionId}-hint` : undefined}
                />
                <label class="choice__label" for={optionId}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div class="hint choice__hint" id={`${optionId}-hint`}>
                    {o.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** One checkbox on its own (a consent box, a setting). */
export function Checkbox(props: {
  name: string;
  label: ComponentChildren;
  checked?: boolean | undefined;
  value?: string;
  hint?: ComponentChildren;
  errors?: FieldErrors | undefined;
}) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  return (
    <div class={error ? 'form-group form-group--error' : 'form-group'}>
      <ErrorMessage id={id} message={error} />
      <div class="choice">
        <input
          class="choice__input"
          id={id}
          name={props.name}
          type="checkbox"
          value={props.value ?? 'yes'}
          checked={props.checked}
          aria-describedby={describedBy(id, props.hint, error)}
        />
        <label class="choice__label" for={id}>
          {props.label}
        </label>
        <Hint id={id} hint={props.hint} />
      </div>
    </div>
  );
}

export function FileInput(props: { name: string; label: ComponentChildren; hint?: ComponentChildren; errors?: FieldErrors | undefined; accept?: string }) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  return (
    <LabelledField id={id} label={props.label} hint={props.hint} error={error}>
      <input class="file-input" id={id} name={props.name} type="file" accept={props.accept} aria-describedby={describedBy(id, props.hint, error)} />
    </LabelledField>
  );
}

export function Button({
  children,
  variant = 'primary',
  name,
  value,
}: {
  children: ComponentChildren;
  variant?: 'primary' | 'secondary' | 'warning';
  name?: string;
  value?: string;
}) {
  return (
    <button type="submit" class={`button button--${variant}`} name={name} value={value}>
      {children}
    </button>
  );
}

/** A button that posts to an action (delete, approve) as its own small form. */
export function ActionButton({
  action,
  children,
  variant = 'secondary',
  fields = {},
}: {
  action: string;
  children: ComponentChildren;
  variant?: 'primary' | 'secondary' | 'warning';
  fields?: Record<string, string>;
}) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={`button button--${variant} button--small`}>
        {children}
      </button>
    </form>
  );
}

export type TagColour = 'grey' | 'red' | 'green' | 'yellow';

/** A short status in words, coloured to help (the words carry the meaning; colour only helps). */
export function Tag({ colour, children }: { colour?: TagColour | undefined; children: ComponentChildren }) {
  return <strong class={colour ? `tag tag--${colour}` : 'tag'}>{children}</strong>;
}

export function Notice({ children, kind = 'success' }: { children: ComponentChildren; kind?: 'success' | 'info' | 'warning' }) {
  return (
    <div class={`notice notice--${kind}`} role={kind === 'warning' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export interface PageLinks {
  page: number;
  totalPages: number;
  /** Builds the URL for a page number, keeping the other query parameters. */
  href: (page: number) => string;
}

export function Pagination({ page, totalPages, href }: PageLinks) {
  if (totalPages <= 1) return null;
  return (
    <nav class="pagination" aria-label="Pages">
      <ul>
        {page > 1 ? (
          <li>
            <a href={href(page - 1)} rel="prev">
              Previous<span class="visually-hidden"> page</span>
            </a>
          </li>
        ) : null}
        <li aria-current="page">
          Page {page} of {totalPages}
        </li>
        {page < totalPages ? (
          <li>
            <a href={href(page + 1)} rel="next">
              Next<span class="visually-hidden"> page</span>
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** A moment shown in UK time (stored in UTC), with the exact instant for machines. */
export function LondonTime({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{formatLondon(date)}</time>;
}

/**
 * The success message for the notice a redirect left (post/redirect/get: `reply.redirectWithNotice`,
 * then `reply.takeNotice()` on the page it leads to). Only the page's own keys show anything, so
 * nothing from the request can put words on the page.
 */
export function PageNotice({ notice, messages }: { notice: string | undefined; messages: Record<string, string> }) {
  const message = notice !== undefined && Object.hasOwn(messages, notice) ? messages[notice] : undefined;
  return message ? <Notice>{message}</Notice> : null;
}

/** The same for the older `?notice=key` in the address (pages not yet moved to `PageNotice`). */
export function QueryNotice({ query, messages }: { query: unknown; messages: Record<string, string> }) {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return <PageNotice notice={typeof key === 'string' ? key : undefined} messages={messages} />;
}

/**
 * A table that may be wider than the page: it scrolls sideways inside a region that keyboard
 * users can reach and scroll (WCAG: a labelled, focusable region), with a visible hint shown
 * whenever it is wider than the page (app.js measures it; without JavaScript the edge shadows,
 * drawn in CSS alone, still show there is more).
 */
export function ScrollingTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll-wrap" data-table-scroll>
      <p class="table-scroll__hint">
        <span aria-hidden="true">↔ </span>Scroll sideways to see the whole table
      </p>
      <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
        {children}
      </div>
    </div>
  );
}
