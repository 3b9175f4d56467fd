// A tiny browser for tests over real sockets: one cookie jar, no redirects followed. Its
// requests are navigations, as a person's clicks and form posts are (a script's fetch says
// otherwise in its own headers). node:http, not fetch: fetch always sends Sec-Fetch-Mode: cors.
import { request } from 'node:http';

export class Browser {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(
    path: string,
    opts: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; location: string | null; text: string; headers: Record<string, string | string[] | undefined> }> {
    const headers: Record<string, string> = {
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'navigate',
      accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
      ...opts.headers,
    };
    if (this.jar.size > 0) headers.cookie = this.cookie;
    let body: string | undefined;
    if (opts.form !== undefined) {
      body = new URLSearchParams(opts.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request(this.base + path, { method, headers }, resolve);
      req.once('error', reject);
      req.end(body);
    });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    for (const line of res.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      if (/Max-Age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, pair!.slice(eq + 1));
    }
    const location = res.headers.location;
    return { status: res.statusCode!, location: location ?? null, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers };
  }
}

/** The hidden CSRF field of the first form on a page. */
export function csrfField(page: string): string {
  const m = /name="csrf_token" value="([^"]+)"/.exec(page);
  if (m === null) throw new Error(`no CSRF field in ${page.slice(0, 200)}`);
  return m[1]!;
}
