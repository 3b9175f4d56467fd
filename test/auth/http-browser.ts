// A tiny browser for tests over real sockets: one cookie jar, no redirects followed.
export class Browser {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async send(
    path: string,
    opts: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; location: string | null; text: string; headers: Headers }> {
    const headers: Record<string, string> = { 'sec-fetch-site': 'same-origin', ...opts.headers };
    if (this.jar.size > 0) headers.cookie = this.cookie;
    let body: string | undefined;
    if (opts.form !== undefined) {
      body = new URLSearchParams(opts.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + path, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      if (/Max-Age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, pair!.slice(eq + 1));
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
  }
}

/** The hidden CSRF field of the first form on a page. */
export function csrfField(page: string): string {
  const m = /name="csrf_token" value="([^"]+)"/.exec(page);
  if (m === null) throw new Error(`no CSRF field in ${page.slice(0, 200)}`);
  return m[1]!;
}
