import type { FastifyInstance } from 'fastify';
import type { AppContext } from './tables.ts';
import { Layout, PageNotice, parseForm, requireRole, roleLabel, saveOrFieldErrors, type FieldErrors, type Viewer } from '../platform/index.ts';
import { changeOwnPassword } from './change-password.ts';
import { getOrganiser } from './organisers.ts';
import { NewPasswordForm, newPasswordForm } from './password-forms.tsx';
import { sessionToken } from './sessions.ts';

function AccountPage({ viewer, hasPassword, errors, notice }: { viewer: Viewer; hasPassword: boolean; errors?: FieldErrors | undefined; notice?: string | undefined }) {
  return (
    <Layout title="Your account">
      <PageNotice notice={notice} messages={{ 'password-changed': 'Your password has been changed. You have been signed out everywhere else.' }} />
      <h1>Your account</h1>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt>Name</dt>
          <dd>{viewer.name}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Email</dt>
          <dd>{viewer.email}</dd>
        </div>
        <div class="summary-list__row">
          <dt>Role</dt>
          <dd>{roleLabel(viewer.role)}</dd>
        </div>
      </dl>
      <h2>{hasPassword ? 'Change your password' : 'Choose a password'}</h2>
      <p>
        {hasPassword
          ? 'Changing your password signs you out on every other device.'
          : 'You signed in with a one-time link. Choose a password to sign in from now on.'}
      </p>
      <NewPasswordForm action="/admin/account/password" errors={errors} needsCurrent={hasPassword} />
    </Layout>
  );
}

/** Every signed-in person's own account: see their details, choose or change their password. */
export function registerAccountRoutes(app: FastifyInstance, ctx: AppContext) {
  const secure = ctx.config.BASE_URL.startsWith('https:');
  const signedIn = { preHandler: requireRole() };

  app.get('/admin/account', signedIn, async (request, reply) => {
    const organiser = await getOrganiser(ctx.db, request.viewer!.id);
    return reply.render(<AccountPage viewer={request.viewer!} hasPassword={!!organiser?.hasPassword} notice={reply.takeNotice()} />);
  });

  app.post('/admin/account/password', signedIn, async (request, reply) => {
    const viewer = request.viewer!;
    const form = parseForm(newPasswordForm, request.body);
    const saved = form.ok
      ? await saveOrFieldErrors(() =>
          changeOwnPassword(ctx.db, { viewer, current: form.value.current, password: form.value.password, keepSessionToken: sessionToken(request, secure) }),
        )
      : form;
    if (!saved.ok) {
      const organiser = await getOrganiser(ctx.db, viewer.id);
      return reply.render(<AccountPage viewer={viewer} hasPassword={!!organiser?.hasPassword} errors={saved.errors} />, 422);
    }
    return saved.value.first ? reply.redirectWithNotice('/admin', 'password-set') : reply.redirectWithNotice('/admin/account', 'password-changed');
  });
}
