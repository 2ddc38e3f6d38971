import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser-like client over app.inject(): keeps cookies, and fills in the CSRF token from the
 * last page it fetched, as a real form submission would.
 */
export class Agent {
  private cookies = new Map<string, string>();
  private lastHtml = '';

  /** `remoteAddress` is the client address the app sees (default: inject's 127.0.0.1). */
  constructor(
    private readonly app: FastifyInstance,
    private readonly origin = 'http://chorus.test',
    private readonly remoteAddress?: string,
  ) {}

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0) || (cookie.expires && cookie.expires.getTime() < Date.now())) {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, cookie.value);
      }
    }
    if (String(response.headers['content-type'] ?? '').startsWith('text/html')) this.lastHtml = response.body;
  }

  cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { ...this.cookieHeader(), ...headers }, remoteAddress: this.remoteAddress });
    this.remember(response);
    return response;
  }

  /** The CSRF token in the last HTML page fetched. */
  csrfToken(): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!match) throw new Error('No CSRF token on the last page');
    return match[1]!;
  }

  /** Posts a urlencoded form, adding the CSRF token from the last page unless one is given. */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
    if (options.csrf !== false && !('_csrf' in fields)) body.append('_csrf', this.csrfToken());
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin, ...this.cookieHeader() },
      remoteAddress: this.remoteAddress,
    });
    this.remember(response);
    return response;
  }

  /** Posts multipart/form-data (file uploads). */
  async postMultipart(url: string, fields: Record<string, string>, files: Record<string, { filename: string; type: string; data: Buffer }> = {}) {
    const boundary = `----chorus${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    const all = { _csrf: this.csrfToken(), ...fields };
    for (const [name, value] of Object.entries(all)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    for (const [name, file] of Object.entries(files)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
      parts.push(file.data, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: Buffer.concat(parts),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': all._csrf, origin: this.origin, ...this.cookieHeader() },
      remoteAddress: this.remoteAddress,
    });
    this.remember(response);
    return response;
  }

  /** Posts a multipart body exactly as given (no token added), with the session cookie. */
  async postMultipartRaw(url: string, payload: string | Buffer, boundary: string, headers: Record<string, string> = {}) {
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: this.origin, ...this.cookieHeader(), ...headers },
      remoteAddress: this.remoteAddress,
    });
    this.remember(response);
    return response;
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }
}
