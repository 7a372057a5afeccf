#!/usr/bin/env node
// dev-token: an access token for a demo person, from a running suite, for trying the APIs with curl.
// 开发用令牌：以演示账号经真实登录页登录，打印某一资源（服务）的访问令牌。
//
// It signs in exactly as a business system does (OpenID Connect authorization code flow with
// PKCE S256, RFC 7636; resource indicator, RFC 8707), as the demo business system
// `demo-business`, through the suite's REAL sign-in form: a cookie jar, the login form, the
// consent page (choosing the organisation to act for), then the redirect to
// http://localhost:4000/callback is caught here (nothing needs to listen there) and the code is
// exchanged for tokens. The same steps as apps/identity/src/testing/relying-party.ts.
//
// Usage:
//   node scripts/dev-token.mjs --user clerk --password 'Clerk#2024demo' \
//        --resource e-license --scope 'license:issue' [--act-for <USCC>] \
//        [--suite http://localhost:3000] [--otp 123456] [--json]
//
//   TOKEN=$(node scripts/dev-token.mjs --user lisi --password 'Lisi#2024demo' \
//        --resource e-seal --scope 'org seal:apply' --act-for 91110105MA0000001?)
//
// Prints the access token alone on stdout (progress goes to stderr), or with --json the whole
// token response plus the ID token's claims. `openid` is always added to --scope.
// Options: --client-id / --client-secret / --redirect-uri for another registered system.
// Development only: never put a real person's password on a command line.
import * as oidc from 'openid-client';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    user: { type: 'string' },
    password: { type: 'string' },
    resource: { type: 'string' },
    scope: { type: 'string', default: '' },
    'act-for': { type: 'string' },
    suite: { type: 'string', default: process.env.SUITE_URL ?? 'http://localhost:3000' },
    otp: { type: 'string' },
    'client-id': { type: 'string', default: 'demo-business' },
    'client-secret': { type: 'string', default: 'demo-business-secret-change-me' },
    'redirect-uri': { type: 'string', default: 'http://localhost:4000/callback' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (o.help || !o.user || !o.password) {
  process.stderr.write(
    'usage: node scripts/dev-token.mjs --user NAME --password PW [--resource e-seal|e-license|e-archive|identity]\n' +
      '         [--scope "a:b c:d"] [--act-for USCC] [--suite URL] [--otp CODE] [--json]\n',
  );
  process.exit(o.help ? 0 : 2);
}

const suite = o.suite.replace(/\/$/, '');
const issuer = new URL(`${suite}/identity`);
const redirectUri = o['redirect-uri'];
const log = (m) => process.stderr.write(`dev-token: ${m}\n`);

/** A cookie jar per host, redirects followed by hand: enough of a browser for the forms. */
const jar = new Map();
async function request(url, init = {}) {
  const host = new URL(url).host;
  const cookie = [...jar]
    .filter(([k]) => k.startsWith(`${host}|`))
    .map(([k, v]) => `${k.split('|')[1]}=${v}`)
    .join('; ');
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
  });
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';')[0];
    const eq = pair.indexOf('=');
    const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(`${host}|${name}`);
    else jar.set(`${host}|${name}`, value);
  }
  return res;
}

/** Follows redirects inside the suite; stops at a page, or at a redirect leaving the suite. */
async function follow(res, url) {
  for (let i = 0; i < 20; i++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url).href;
      if (!next.startsWith(suite)) return { location: next };
      url = next;
      res = await request(next);
      continue;
    }
    return { page: await res.text(), status: res.status, url };
  }
  throw new Error('too many redirects');
}

const unescape = (s) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The action and hidden fields of the form whose action ends with `suffix`. */
function formOf(html, suffix) {
  for (const f of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!unescape(f[1]).endsWith(suffix)) continue;
    const fields = {};
    for (const m of f[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[m[1]] = unescape(m[2]);
    }
    return { action: unescape(f[1]), fields };
  }
  throw new Error(`no form ending with ${suffix} on the page`);
}

/** The consent page's radio value for the organisation whose USCC or name contains `actFor`. */
function organisationChoice(page, actFor) {
  const offered = [];
  for (const m of page.matchAll(/name="organisation" value="([0-9a-f-]{36})">(.*?)<\/div>/gs)) {
    if (m[2].includes(actFor)) return m[1];
    offered.push(
      m[2]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  throw new Error(
    `organisation ${actFor} is not offered; offered: ${offered.join('; ') || 'none'}`,
  );
}

const config = await oidc.discovery(
  issuer,
  o['client-id'],
  undefined,
  oidc.ClientSecretBasic(o['client-secret']),
  issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined,
);
const scope = ['openid', ...o.scope.split(/\s+/).filter((s) => s && s !== 'openid')].join(' ');
const resource = o.resource
  ? /^https?:/.test(o.resource)
    ? o.resource
    : `${suite}/${o.resource}`
  : undefined;
const verifier = oidc.randomPKCECodeVerifier();
const state = oidc.randomState();
const authorize = oidc.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope,
  code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
  code_challenge_method: 'S256',
  state,
  ...(resource ? { resource } : {}),
});

let step = await follow(await request(authorize.href), authorize.href);
for (let i = 0; i < 6 && !step.location; i++) {
  const page = step.page ?? '';
  let form;
  if (page.includes('name="password"')) {
    log(`signing in as ${o.user}`);
    form = formOf(page, '/login');
    Object.assign(form.fields, { identifier: o.user, password: o.password });
  } else if (page.includes('name="code"')) {
    if (!o.otp) throw new Error('a second factor (TOTP) is asked for: pass --otp');
    form = formOf(page, '/otp');
    form.fields.code = o.otp;
  } else if (page.includes('/consent"')) {
    log(`consenting to ${scope}${o['act-for'] ? ` acting for ${o['act-for']}` : ''}`);
    form = formOf(page, '/consent');
    form.fields.organisation = o['act-for'] ? organisationChoice(page, o['act-for']) : '';
  } else {
    const text = page
      .replace(/<(style|script)[\s\S]*?<\/\1>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    throw new Error(`unexpected page (${step.status}): ${unescape(text).trim().slice(0, 400)}`);
  }
  const target = new URL(form.action, step.url).href;
  step = await follow(
    await request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form.fields).toString(),
    }),
    target,
  );
}
if (!step.location) throw new Error('the sign-in did not come back to the redirect URI');

const tokens = await oidc.authorizationCodeGrant(config, new URL(step.location), {
  pkceCodeVerifier: verifier,
  expectedState: state,
});
if (o.json) {
  process.stdout.write(`${JSON.stringify({ ...tokens, claims: tokens.claims() }, null, 2)}\n`);
} else {
  process.stdout.write(`${tokens.access_token}\n`);
}
