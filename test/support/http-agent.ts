export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * A browser-like client for a Chorus listening on a real port (a spawned `chorus serve`): keeps
 * cookies, does not follow redirects, and fills in the CSRF token from the last page fetched.
 */
export class HttpAgent {
  private cookies = new Map<string, string>();
  private lastHtml = '';

  constructor(private baseUrl: string) {}

  /** Carries on at another server (the same browser, cookies and last page, another `chorus serve`). */
  moveTo(baseUrl: string): this {
    this.baseUrl = baseUrl;
    return this;
  }

  private async send(method: 'GET' | 'POST', url: string, body?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { origin: new URL(this.baseUrl).origin };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(new URL(url, this.baseUrl), { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) this.lastHtml = text;
    return { status: response.status, headers: response.headers, body: text };
  }

  get(url: string): Promise<HttpResponse> {
    return this.send('GET', url);
  }

  /** Posts a urlencoded form with the CSRF token of the last page fetched. */
  post(url: string, fields: Record<string, string>): Promise<HttpResponse> {
    const token = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml)?.[1];
    if (!token) throw new Error('No CSRF token on the last page');
    return this.send('POST', url, new URLSearchParams({ ...fields, _csrf: token }).toString());
  }
}
