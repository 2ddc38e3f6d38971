import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './tables.ts';
import { Button, DomainError, ErrorSummary, Form, Layout, TextInput, clientIp, emailAddress, errorsFrom, parseForm, parseParams, parseRequest, queryText, type FieldErrors, type FormValues } from '../platform/index.ts';
import { peekOrganiserToken } from './organisers.ts';
import { NewPasswordForm, newPasswordForm } from './password-forms.tsx';
import { requestPasswordReset, resetPasswordWithToken } from './reset-password.ts';
import { clearSessionCookie, createSession, endSession, sessionToken, setSessionCookie } from './sessions.ts';
import { signInWithLink } from './sign-in-with-link.ts';
import { signInWithPassword } from './sign-in-with-password.ts';

const DEFAULT_NEXT = '/admin';
/** A local path: one `/`, then anything but `/` or `\`; no control characters or spaces anywhere. */
const LOCAL_PATH = /^\/(?:[^/\\\s\p{Cc}][^\s\p{Cc}]*)?$/u;
const HUB = new URL('http://hub.invalid');

/**
 * Only local paths may be a post-sign-in destination (no open redirects). The query string is
 * already decoded once; the path must pass both as given and decoded again, since browsers strip
 * tabs and newlines and read `\` as `/` (`/%09/evil.example` becomes `//evil.example`). What
 * passes is normalised by the URL parser, so the Location header is plain ASCII on this origin.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000 || !LOCAL_PATH.test(next)) return DEFAULT_NEXT;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return DEFAULT_NEXT;
  }
  if (!LOCAL_PATH.test(decoded)) return DEFAULT_NEXT;
  const url = new URL(next, HUB);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can collapse into `//` (`/a/..//evil.example`), so the result is checked again.
  return url.origin === HUB.origin && LOCAL_PATH.test(path) ? path : DEFAULT_NEXT;
}

function SignInPage({ errors, values, next }: { errors?: FieldErrors; values?: FormValues; next: string }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <p>For organisers, moderators and admins of the coalition.</p>
      <ErrorSummary errors={errors} />
      <Form action={`/sign-in?next=${encodeURIComponent(next)}`}>
        <TextInput name="email" label="Email address" type="email" autocomplete="email" spellcheck={false} errors={errors} values={values} />
        <TextInput name="password" label="Password" type="password" autocomplete="current-password" errors={errors} values={values} />
        <Button>Sign in</Button>
      </Form>
      <p>
        <a href="/forgot-password">I have forgotten my password</a>
      </p>
    </Layout>
  );
}

function CheckEmailToSignInPage() {
  return (
    <Layout title="Check your email">
      <h1>Check your email</h1>
      <p>Someone has been trying wrong passwords on this account, so signing in from a new place takes one more step.</p>
      <p>If the password was right, we have emailed the account’s address a link that finishes signing in. It works once, for 15 minutes.</p>
      <p>
        No email? Check the password and <a href="/sign-in">try again</a>, or <a href="/forgot-password">reset your password</a>.
      </p>
    </Layout>
  );
}

function ForgotPasswordPage({ errors, values, sent }: { errors?: FieldErrors; values?: FormValues; sent?: boolean }) {
  return (
    <Layout title={sent ? 'Check your email' : 'Reset your password'}>
      {sent ? (
        <>
          <h1>Check your email</h1>
          <p>If an organiser account uses that address, we have sent it a link to set a new password. The link works once, for one hour.</p>
        </>
      ) : (
        <>
          <h1>Reset your password</h1>
          <ErrorSummary errors={errors} />
          <Form action="/forgot-password">
            <TextInput name="email" label="Email address" hint="We will send a link to this address" type="email" autocomplete="email" errors={errors} values={values} />
            <Button>Send me a link</Button>
          </Form>
        </>
      )}
    </Layout>
  );
}

function ResetPasswordPage({ token, errors }: { token: string; errors?: FieldErrors }) {
  return (
    <Layout title="Set a new password">
      <h1>Set a new password</h1>
      <NewPasswordForm action={`/reset-password/${token}`} errors={errors} />
    </Layout>
  );
}

function ContinueSignInPage({ token, email }: { token: string; email: string }) {
  return (
    <Layout title="Sign in with this link">
      <h1>Sign in with this link</h1>
      <p>
        You are signing in as <strong>{email}</strong>. The link works once.
      </p>
      <Form action={`/sign-in/link/${token}`}>
        <Button>Continue</Button>
      </Form>
    </Layout>
  );
}

/** The client's address as limits and known sign-in places count it. */
const ipOf = (request: FastifyRequest) => clientIp(request) ?? 'unknown';

const signInQuery = z.object({ next: queryText() });
const tokenParams = z.object({ token: z.string() });

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext) {
  const secure = ctx.config.BASE_URL.startsWith('https:');

  async function startSession(request: FastifyRequest, reply: FastifyReply, organiserId: number) {
    const old = sessionToken(request, secure);
    if (old) await endSession(ctx.db, old);
    const token = await createSession(ctx.db, organiserId);
    setSessionCookie(reply, token, secure);
  }

  app.get('/sign-in', async (request, reply) => {
    const next = safeNext(parseRequest(signInQuery, request.query).next);
    if (request.viewer) return reply.redirect(next, 303);
    return reply.render(<SignInPage next={next} />);
  });

  app.post('/sign-in', async (request, reply) => {
    const next = safeNext(parseRequest(signInQuery, request.query).next);
    const form = parseForm(
      z.object({ email: emailAddress(), password: z.string({ message: 'Enter your password' }).min(1, { message: 'Enter your password' }) }),
      request.body,
    );
    if (!form.ok) return reply.render(<SignInPage errors={form.errors} values={form.values} next={next} />, 422);
    try {
      const outcome = await signInWithPassword(ctx, { ...form.value, ip: ipOf(request), maxFailures: ctx.config.SIGN_IN_MAX_FAILURES });
      if (outcome.kind === 'link-sent') return reply.render(<CheckEmailToSignInPage />);
      await startSession(request, reply, outcome.organiserId);
      return reply.redirect(next, 303);
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'invalid' || error.code === 'rate_limited')) {
        if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
        const errors = error.code === 'invalid' ? errorsFrom(error) : { email: error.message };
        return reply.render(<SignInPage errors={errors} values={{ email: form.value.email }} next={next} />, error.status);
      }
      throw error;
    }
  });

  app.post('/sign-out', async (request, reply) => {
    const token = sessionToken(request, secure);
    if (token) await endSession(ctx.db, token);
    clearSessionCookie(reply, secure);
    return reply.redirect('/', 303);
  });

  app.get('/forgot-password', async (_request, reply) => reply.render(<ForgotPasswordPage />));

  app.post('/forgot-password', async (request, reply) => {
    const form = parseForm(z.object({ email: emailAddress() }), request.body);
    if (!form.ok) return reply.render(<ForgotPasswordPage errors={form.errors} values={form.values} />, 422);
    try {
      await requestPasswordReset(ctx.db, { email: form.value.email, ip: ipOf(request) });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'rate_limited') throw error;
      reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.render(<ForgotPasswordPage errors={{ email: error.message }} values={{ email: form.value.email }} />, error.status);
    }
    // The same answer whether or not the account exists, so the form reveals no addresses.
    return reply.render(<ForgotPasswordPage sent />);
  });

  app.get('/reset-password/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'link');
    await peekOrganiserToken(ctx.db, token, 'password-reset');
    return reply.render(<ResetPasswordPage token={token} />);
  });

  app.post('/reset-password/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'link');
    await peekOrganiserToken(ctx.db, token, 'password-reset');
    const form = parseForm(newPasswordForm, request.body);
    if (!form.ok) return reply.render(<ResetPasswordPage token={token} errors={form.errors} />, 422);
    const organiserId = await ctx.db.transaction().execute((tx) => resetPasswordWithToken(tx, token, form.value.password, ipOf(request)));
    await startSession(request, reply, organiserId);
    return reply.redirectWithNotice('/admin', 'password-set');
  });

  // One-time sign-in links (first sign-in, `chorus user add|reset`). The GET only shows a button,
  // so mail scanners that open links do not use them up.
  app.get('/sign-in/link/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'link');
    const { email } = await peekOrganiserToken(ctx.db, token, 'sign-in');
    return reply.render(<ContinueSignInPage token={token} email={email} />);
  });

  app.post('/sign-in/link/:token', async (request, reply) => {
    const { token } = parseParams(tokenParams, request.params, 'link');
    const signedIn = await ctx.db.transaction().execute((tx) => signInWithLink(tx, token, ipOf(request)));
    await startSession(request, reply, signedIn.organiserId);
    return reply.redirect(signedIn.hasPassword ? '/admin' : '/admin/account', 303);
  });

  // The old address of the password page.
  app.get('/account/password', async (_request, reply) => reply.redirect('/admin/account', 303));
}
