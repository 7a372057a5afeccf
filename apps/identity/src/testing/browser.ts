/**
 * A cookie-keeping HTTP agent that follows redirects by hand and fills the sign-in forms:
 * enough of a browser to drive the real pages over HTTP, with no JavaScript.
 */
export class FormBrowser {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    return this.request(url, { method: 'GET' });
  }

  /** `headers` adds request headers, e.g. X-Forwarded-For as a trusted proxy would send it. */
  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Posts `body` as it is, in `contentType` (malformed forms, other content types). */
  async postRaw(url: string, body: string, contentType: string): Promise<Response> {
    return this.request(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  }

  /** Follows redirects until one leaves `origin` (the RP's callback) or a page is returned. */
  async follow(
    start: Response,
    origin: string,
  ): Promise<{ page?: string; status: number; url: string; location?: string }> {
    let res = start;
    let url = res.url;
    for (let i = 0; i < 20; i++) {
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, url).toString();
        if (!next.startsWith(origin)) return { status: res.status, url, location: next };
        url = next;
        res = await this.get(next);
        continue;
      }
      return { page: await res.text(), status: res.status, url };
    }
    throw new Error('too many redirects');
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const host = new URL(url).host;
    const cookie = [...this.cookies]
      .filter(([k]) => k.startsWith(`${host}|`))
      .map(([k, v]) => `${k.split('|')[1]}=${v}`)
      .join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '')
        this.cookies.delete(`${host}|${name}`);
      else this.cookies.set(`${host}|${name}`, value);
    }
    Object.defineProperty(res, 'url', { value: url });
    return res;
  }
}

/** The action and fields of the form whose action ends with `suffix`. */
export function formOf(
  html: string,
  suffix: string,
): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((f) => f[1]!.endsWith(suffix));
  if (!form) throw new Error(`no form ending with ${suffix}`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return { action: form[1]!.replace(/&amp;/g, '&'), fields };
}
