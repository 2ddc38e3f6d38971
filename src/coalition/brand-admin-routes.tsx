import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { Button, ErrorSummary, Form, Layout, PageNotice, TextInput, formValues, parseForm, requireRole, saveOrFieldErrors, uploadedFile, type Brand, type FieldErrors, type FormValues } from '../platform/index.ts';
import { LogoField } from './admin-pages.tsx';
import { brandInputSchema, updateBrand } from './update-brand.ts';

function brandValues(brand: Brand): FormValues {
  return {
    name: brand.name,
    tagline: brand.tagline,
    primaryColour: brand.primaryColour,
    primaryTextColour: brand.primaryTextColour,
    accentColour: brand.accentColour,
  };
}

function BrandPage({ brand, errors, values, notice }: { brand: Brand; errors?: FieldErrors | undefined; values?: FormValues | undefined; notice?: string | undefined }) {
  const shown = values ?? brandValues(brand);
  const colourHint = (example: string, use: string) => `${use} A hex code like ${example}.`;
  return (
    <Layout title="Brand">
      <PageNotice notice={notice} messages={{ saved: 'The brand has been saved. Every page now uses it.' }} />
      <h1>Brand</h1>
      <p>The coalition’s name, logo and colours, used on every page and in every email.</p>
      <ErrorSummary errors={errors} />
      <Form action="/admin/brand" multipart>
        <TextInput name="name" label="Coalition name" errors={errors} values={shown} maxLength={80} />
        <TextInput name="tagline" label="Tagline (optional)" hint="A line under the name on the home page and in the footer." errors={errors} values={shown} maxLength={200} />
        <LogoField logoUrl={brand.logoUrl} errors={errors} removeChecked={shown.removeLogo === 'yes'} />
        <fieldset class="fieldset form-group">
          <legend class="fieldset__legend fieldset__legend--m">Colours</legend>
          <p class="hint">The text colour must stand out from the main colour with a contrast ratio of at least 4.5:1 (WCAG AA).</p>
          <TextInput name="primaryColour" label="Main colour" hint={colourHint('#005eb8', 'The header and highlights.')} width="10" spellcheck={false} errors={errors} values={shown} />
          <TextInput name="primaryTextColour" label="Text on the main colour" hint={colourHint('#ffffff', 'The coalition’s name and links in the header.')} width="10" spellcheck={false} errors={errors} values={shown} />
          <TextInput name="accentColour" label="Accent colour" hint={colourHint('#ffb81c', 'The stripe under the header.')} width="10" spellcheck={false} errors={errors} values={shown} />
        </fieldset>
        <Button>Save brand</Button>
      </Form>
    </Layout>
  );
}

/** Coalition admins set the brand; every page, email and /brand.css follow at once. */
export function registerBrandAdminRoutes(app: FastifyInstance, ctx: AppContext) {
  const admins = { preHandler: requireRole('admin') };

  app.get('/admin/brand', admins, async (request, reply) => reply.render(<BrandPage brand={await ctx.brand.get()} notice={reply.takeNotice()} />));

  app.post('/admin/brand', admins, async (request, reply) => {
    const current = await ctx.brand.get();
    const form = parseForm(brandInputSchema, request.body);
    if (!form.ok) return reply.render(<BrandPage brand={current} errors={form.errors} values={form.values} />, 422);
    const saved = await saveOrFieldErrors(() =>
      ctx.db.transaction().execute((tx) => updateBrand(tx, { actor: request.viewer!, input: form.value, logo: uploadedFile(request.body, 'logo') })),
    );
    if (!saved.ok) return reply.render(<BrandPage brand={current} errors={saved.errors} values={formValues(request.body)} />, 422);
    ctx.brand.set(saved.value);
    return reply.redirectWithNotice('/admin/brand', 'saved');
  });
}
