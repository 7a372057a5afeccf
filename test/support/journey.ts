import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import { FormBrowser } from '../../apps/identity/src/testing/browser.js';
import { signInThroughPages } from '../../apps/identity/src/testing/relying-party.js';
import type { TestSuite } from './test-suite.js';

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Waits until `probe` answers something truthy, or fails naming what was awaited. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} ${last ? String(last) : ''}`,
  );
}

/** A JSON call with a bearer token; throws with the problem details when the status differs. */
export async function call<T = Record<string, unknown>>(
  url: string,
  o: { token?: string; method?: string; body?: unknown; form?: FormData; expect?: number } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: FormData | string | undefined;
  if (o.form) body = o.form;
  else if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  const res = await fetch(url, { method: o.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  const expected = o.expect ?? (res.ok ? res.status : 200);
  if (res.status !== expected) {
    throw new Error(`${o.method ?? (body ? 'POST' : 'GET')} ${url}: ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A multipart body with one PDF part named `file` and string fields. */
export function pdfForm(pdf: Uint8Array, name: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), name);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

/** A relying party (openid-client) signing people in through the real pages of identity. */
export class RelyingParty {
  private constructor(
    readonly config: oidc.Configuration,
    private readonly t: TestSuite,
    readonly redirectUri: string,
  ) {}

  static async discover(
    t: TestSuite,
    clientId: string,
    secret: string,
    redirectUri: string,
  ): Promise<RelyingParty> {
    const config = await oidc.discovery(
      new URL(t.ctx.publicUrls.identity),
      clientId,
      undefined,
      oidc.ClientSecretBasic(secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    return new RelyingParty(config, t, redirectUri);
  }

  /** Sign-in with PKCE through the form; the code exchanged for tokens for `resource`. */
  async signIn(o: {
    browser?: FormBrowser;
    identifier: string;
    password: string;
    scope: string;
    resource?: string;
    actFor?: string;
  }): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
    const params: Record<string, string> = { scope: o.scope };
    if (o.resource) params.resource = this.t.ctx.publicUrls[o.resource as 'e-seal'];
    const { callback, verifier, state } = await signInThroughPages(
      this.config,
      o.browser ?? new FormBrowser(),
      this.t.baseUrl,
      this.redirectUri,
      { identifier: o.identifier, password: o.password, actFor: o.actFor, params },
    );
    return oidc.authorizationCodeGrant(this.config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
  }

  async clientToken(resource: string, scope: string): Promise<string> {
    const r = await oidc.clientCredentialsGrant(this.config, {
      scope,
      resource: this.t.ctx.publicUrls[resource as 'e-seal'],
    });
    return r.access_token;
  }
}

/** A back-channel logout endpoint (OIDC Back-Channel Logout 1.0) collecting logout tokens. */
export async function backchannelEndpoint(
  port: number,
): Promise<{ server: Server; tokens: string[]; close(): Promise<void> }> {
  const tokens: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      tokens.push(new URLSearchParams(body).get('logout_token') ?? '');
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    server,
    tokens,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
