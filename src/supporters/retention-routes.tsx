import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { Button, ErrorSummary, Form, Layout, Notice, TextInput, parseForm, mailRetention, personalDataProviders, recordAudit, requireRole, type FieldErrors, type FormValues } from '../platform/index.ts';
import { SummaryRow, londonTime, peopleCrumbs } from './people-views.tsx';
import { lastRetentionRun, readRetention, retentionSchema, runRetention, writeRetention, type RetentionRules, type RetentionRun } from './retention.ts';

const fields: Array<{ name: keyof RetentionRules; label: string; hint: string }> = [
  {
    name: 'unconfirmedSignUpDays',
    label: 'Unconfirmed sign-ups: days to keep',
    hint: 'Sign-ups whose email was never confirmed are deleted after this many days.',
  },
  {
    name: 'inactivePersonMonths',
    label: 'Inactive people: months without an action',
    hint: 'People with no live consent who have done nothing for this many months are erased.',
  },
  {
    name: 'signatureMonthsAfterClose',
    label: 'Petition signatures: months after the petition closes',
    hint: 'Names, email addresses and postcodes on signatures are erased this long after a petition closes. Counts stay.',
  },
  {
    name: 'confirmationEmailDays',
    label: 'Confirmation emails: days to keep',
    hint: 'Copies of sign-up and signature confirmation emails are deleted after this many days.',
  },
];

const removedLabels: Array<[keyof RetentionRun['removed'], string]> = [
  ['unconfirmedSignUps', 'Unconfirmed sign-ups'],
  ['unconfirmedPeople', 'People who never confirmed'],
  ['inactivePeople', 'Inactive people erased'],
  ['signatures', 'Signatures erased'],
  ['confirmationEmails', 'Confirmation emails deleted'],
];

function RetentionPage({ values, errors, lastRun, notice }: { values: FormValues; errors?: FieldErrors; lastRun?: RetentionRun | undefined; notice?: string | undefined }) {
  return (
    <Layout title={errors ? 'Error: Retention rules' : 'Retention rules'} breadcrumbs={peopleCrumbs}>
      {notice === 'saved' ? <Notice>The retention rules have been saved.</Notice> : null}
      {notice === 'ran' ? <Notice>The retention rules have been applied.</Notice> : null}
      <h1>Retention rules</h1>
      <p>How long personal data is kept. The rules run every night.</p>
      <h2>Last run</h2>
      {lastRun ? (
        <dl class="summary-list">
          <SummaryRow label="When">{londonTime(new Date(lastRun.at))}</SummaryRow>
          {removedLabels.map(([key, label]) => (
            <SummaryRow label={label}>{`removed ${lastRun.removed[key] ?? 0}`}</SummaryRow>
          ))}
        </dl>
      ) : (
        <p>The rules have not run yet.</p>
      )}
      <Form action="/admin/retention/run">
        <Button variant="secondary">Apply the rules now</Button>
      </Form>
      <h2>What is kept, and for how long</h2>
      <dl class="summary-list">
        {[...personalDataProviders(), mailRetention].map((provider) => (
          <SummaryRow label={provider.label}>{provider.retention}</SummaryRow>
        ))}
      </dl>
      <h2>Rules</h2>
      <ErrorSummary errors={errors} />
      <Form action="/admin/retention">
        {fields.map((f) => (
          <TextInput name={f.name} label={f.label} hint={f.hint} inputmode="numeric" width="5" errors={errors} values={values} />
        ))}
        <Button>Save rules</Button>
      </Form>
    </Layout>
  );
}

function asValues(rules: RetentionRules): FormValues {
  return Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, String(v)]));
}

/** Admins set how long each kind of record is kept, and see what the last run removed. */
export function registerRetentionRoutes(app: FastifyInstance, ctx: AppContext) {
  const admins = { preHandler: requireRole('admin') };
  // Notices show once: a reload does not show them again.

  app.get('/admin/retention', admins, async (request, reply) => {
    const [rules, lastRun] = await Promise.all([readRetention(ctx.db), lastRetentionRun(ctx.db)]);
    return reply.render(<RetentionPage values={asValues(rules)} lastRun={lastRun} notice={reply.takeNotice()} />);
  });

  app.post('/admin/retention', admins, async (request, reply) => {
    const form = parseForm(retentionSchema, request.body);
    if (!form.ok) return reply.render(<RetentionPage values={form.values} errors={form.errors} lastRun={await lastRetentionRun(ctx.db)} />, 422);
    await ctx.db.transaction().execute(async (tx) => {
      const before = await readRetention(tx);
      await writeRetention(tx, form.value);
      await recordAudit(tx, { actor: request.viewer!, action: 'retention.update', subjectType: 'settings', subjectId: 'supporters.retention', before, after: form.value });
    });
    return reply.redirectWithNotice('/admin/retention', 'saved');
  });

  app.post('/admin/retention/run', admins, async (request, reply) => {
    const run = await runRetention(ctx.db);
    await recordAudit(ctx.db, { actor: request.viewer!, action: 'retention.run', subjectType: 'settings', subjectId: 'supporters.retention', after: run.removed });
    return reply.redirectWithNotice('/admin/retention', 'ran');
  });
}
