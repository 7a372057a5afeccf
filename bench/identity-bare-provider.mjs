// The baseline of bench/identity.bench.mjs: a bare oidc-provider 9 (memory adapter, the same
// key types: RS256 ID tokens, ES256 JWT access tokens for a resource) with the smallest
// sign-in and consent pages that verify an Argon2id password at the same cost as identity.
// Run as a child process: `node bench/identity-bare-provider.mjs <port>`; prints "ready".
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK } from 'jose';
import Provider from 'oidc-provider';
import { hash, verify } from '@node-rs/argon2';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const resource = 'http://127.0.0.1/e-license';
const ARGON2 = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };
const passwordHash = await hash('Bench#2024pass', ARGON2);

const rsa = await exportJWK(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const ec = await exportJWK(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'bench',
      client_secret: 'bench-secret',
      redirect_uris: ['http://localhost:4000/callback'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      scope: 'openid profile offline_access license:read',
    },
  ],
  jwks: {
    keys: [
      { ...rsa, alg: 'RS256', kid: 'rs' },
      { ...ec, alg: 'ES256', kid: 'es' },
    ],
  },
  cookies: { keys: ['bench-cookie-key'] },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, name: 'Bench' }) }),
  claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], profile: ['name'] },
  scopes: ['openid', 'profile', 'offline_access', 'license:read'],
  pkce: { required: () => true },
  rotateRefreshToken: true,
  issueRefreshToken: (_ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  interactions: { url: (_ctx, i) => `/interaction/${i.uid}` },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'license:read',
        audience: resource,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 600,
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
const callback = provider.callback();

const page = (uid, what) =>
  `<!doctype html><form method="post" action="/interaction/${uid}/${what}">` +
  `<input type="hidden" name="csrf" value="x"><input name="identifier"><input name="password">` +
  `<button>go</button></form>`;

async function form(req) {
  let body = '';
  for await (const c of req) body += c;
  return Object.fromEntries(new URLSearchParams(body));
}

createServer(async (req, res) => {
  const m = /^\/interaction\/([^/]+)(?:\/(login|consent))?$/.exec(req.url);
  if (!m) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html');
      return res.end(page(m[1], details.prompt.name === 'login' ? 'login' : 'consent'));
    }
    const body = await form(req);
    if (m[2] === 'login') {
      const ok = body.identifier === 'bench' && (await verify(passwordHash, body.password));
      if (!ok) {
        res.statusCode = 401;
        return res.end(page(m[1], 'login'));
      }
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: 'bench-user', acr: 'loa1', amr: ['pwd'] } },
        { mergeWithLastSubmission: false },
      );
    }
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: 'bench' });
    const d = details.prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [r, s] of Object.entries(d.missingResourceScopes ?? {}))
      grant.addResourceScope(r, s.join(' '));
    const grantId = await grant.save();
    return provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
// Exit on SIGTERM through process.exit, so that --cpu-prof (BENCH_NODE_ARGS) writes its profile.
process.on('SIGTERM', () => process.exit(0));
