import { Layout } from './layout.tsx';

const titles: Record<number, string> = {
  400: 'There is a problem with the request',
  401: 'Sign in to continue',
  403: 'You cannot do that',
  404: 'Page not found',
  409: 'That cannot be done now',
  410: 'This link is no longer valid',
  413: 'That is too large',
  415: 'That kind of request is not accepted',
  422: 'There is a problem',
  429: 'Too many attempts',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
};

/** Friendly error page: a plain explanation and a way on, never a stack trace. */
export function ErrorPage({ status, message }: { status: number; message: string }) {
  const title = titles[status] ?? (status >= 500 ? titles[500]! : 'There is a problem');
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p class="lead">{message}</p>
      {status === 404 ? <p>If you typed the web address, check it is correct. If you pasted it, check you copied all of it.</p> : null}
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </Layout>
  );
}
