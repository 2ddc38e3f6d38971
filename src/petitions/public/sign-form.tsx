import { Button, Checkbox, ErrorSummary, Form, Layout, Select, TextInput, type FieldErrors, type FormValues } from '../../platform/index.ts';
import { ARRIVAL_FIELDS, type Arrival } from '../arrival.ts';
import { UK, countries } from '../countries.ts';
import { NAME_MAX } from '../sign-petition.ts';
import type { Petition } from '../store.ts';

const countryOptions = countries.map((c) => ({ value: c.code, label: c.name }));

export interface SignFormProps {
  petition: Petition;
  /** The exact words beside the "hear more" box (recorded with each consent). */
  hearMoreWording: string;
  values?: FormValues | undefined;
  errors?: FieldErrors | undefined;
  /** Where the visitor came from (the page's utm_* tags, the other site that linked here), carried in hidden fields. */
  arrival?: Arrival | undefined;
  /** Demo postcodes to suggest, while the demo's made-up constituencies are loaded. */
  demoPostcodes?: string | undefined;
}

/**
 * The sign form. It carries no per-visitor token, so the page it sits on can be cached: the
 * server checks the request's Origin instead, and the email confirmation proves the address.
 */
export function SignForm({ petition, hearMoreWording, values = {}, errors, arrival = {}, demoPostcodes }: SignFormProps) {
  return (
    <Form action={`/petitions/${petition.id}/signatures`} csrf={false} class="sign-form" id="sign-form">
      {ARRIVAL_FIELDS.map((field) => {
        const value = values[field] || arrival[field];
        return value ? <input type="hidden" name={field} value={value} /> : null;
      })}
      {petition.underAttack ? (
        <div class="notice notice--info sign-form__check" data-altcha-challenge={`/petitions/${petition.id}/challenge.json`}>
          <p>
            This petition is getting unusual traffic, so your browser will solve a small puzzle when you sign. It takes a second or
            two and needs JavaScript.
          </p>
          <p>
            Without it your signature is still recorded, but it is checked by a moderator before it is counted.
          </p>
          <p class="sign-form__check-status" role="status" data-altcha-status />
          <input type="hidden" name="altcha" value="" data-altcha-field />
        </div>
      ) : null}
      <TextInput name="name" label="Full name" autocomplete="name" values={values} errors={errors} maxLength={NAME_MAX} spellcheck={false} />
      <TextInput
        name="email"
        label="Email address"
        type="email"
        autocomplete="email"
        hint="We’ll email you a link to confirm your signature. It only counts once you click it."
        values={values}
        errors={errors}
        spellcheck={false}
      />
      <Select name="country" label="Where do you live?" options={countryOptions} value={values.country || UK} errors={errors} />
      <TextInput
        name="postcode"
        label="UK postcode"
        hint={`${demoPostcodes ? `This is a demo: try ${demoPostcodes}.` : 'For example SW1A 1AA.'} Leave it blank if you live outside the UK.`}
        autocomplete="postal-code"
        width="10"
        values={values}
        errors={errors}
        spellcheck={false}
      />
      <Checkbox name="hear_more" label={hearMoreWording} checked={values.hear_more !== undefined && values.hear_more !== ''} errors={errors} />
      <Button>Sign this petition</Button>
    </Form>
  );
}

/** The form on a page of its own: linked from the petition, and shown again with errors. */
export function SignPage(props: SignFormProps) {
  const hasErrors = Object.keys(props.errors ?? {}).length > 0;
  const { petition } = props;
  return (
    <Layout
      title={`${hasErrors ? 'Error: ' : ''}Sign: ${petition.action}`}
      breadcrumbs={[
        { href: '/petitions', label: 'Petitions' },
        { href: petition.path, label: petition.action },
      ]}
      scripts={petition.underAttack ? ['petition.js', 'altcha-solver.js'] : ['petition.js']}
    >
      <ErrorSummary errors={props.errors} />
      <span class="caption">Sign this petition</span>
      <h1>{petition.action}</h1>
      <SignForm {...props} />
    </Layout>
  );
}
