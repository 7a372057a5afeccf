// A minimal business system integrated with the suite (示例业务系统).
//
// It is the code a business system's developer copies first:
//   - signs people in through the suite's identity service (OIDC code flow + PKCE),
//   - shows the signed-in person's claims,
//   - lists the licenses holders have granted to this system (client credentials),
//   - seals an uploaded PDF with the organisation's seal (the agent's own access token),
//   - signs out (RP-initiated logout) and receives back-channel logout.
//
// Sessions live in memory here; a real system keeps them in its own store.
import express from 'express';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as oidc from 'openid-client';

const env = (name, fallback) => process.env[name] ?? fallback;
const PORT = Number(env('PORT', '4000'));
const BASE_URL = env('BASE_URL', `http://localhost:${PORT}`);
const SUITE_URL = env('SUITE_URL', 'http://localhost:3000');
const ISSUER = env('ISSUER', `${SUITE_URL}/identity`);
const CLIENT_ID = env('CLIENT_ID', 'demo-business');
const CLIENT_SECRET = env('CLIENT_SECRET', 'demo-business-secret-change-me');
const SCOPES = env('SCOPES', 'openid profile idcard org seal:apply');

const insecure = ISSUER.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {};
const config = await oidc.discovery(
  new URL(ISSUER),
  CLIENT_ID,
  undefined,
  oidc.ClientSecretBasic(CLIENT_SECRET),
  insecure,
);
const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));

/** sid -> { claims, access, idToken, sealToken, idpSid } */
const sessions = new Map();
/** state -> { verifier, nonce, expires } */
const pending = new Map();
/** What the identity service told us through back-channel logout, newest first. */
const logoutEvents = [];

const app = express();
app.disable('x-powered-by');

function cookie(req, name) {
  const m = new RegExp(`(?:^|; )${name}=([^;]+)`).exec(req.headers.cookie ?? '');
  return m ? decodeURIComponent(m[1]) : undefined;
}
const sessionOf = (req) => sessions.get(cookie(req, 'bs_sid'));
const esc = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

function page(title, body) {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
pre{background:#f4f4f4;padding:1rem;overflow:auto}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3rem .6rem}</style></head>
<body><h1>示例业务系统 <small lang="en">Example business system</small></h1>${body}</body></html>`;
}

app.get('/', (req, res) => {
  const s = sessionOf(req);
  const events = logoutEvents
    .slice(0, 5)
    .map((e) => `<li>${esc(e.at)}: sid ${esc(e.sid ?? '-')}, sub ${esc(e.sub ?? '-')}</li>`)
    .join('');
  const signedIn = s
    ? `<p>已登录 Signed in: <strong>${esc(s.claims.name ?? s.claims.sub)}</strong>${s.claims.org ? ` · 代表 acting for ${esc(s.claims.org.name)}（${esc(s.claims.org.uscc)}）` : ''}</p>
       <h2>身份声明 ID token claims</h2><pre id="claims">${esc(JSON.stringify(s.claims, null, 2))}</pre>
       <h2>访问令牌 Access token (for e-seal)</h2><pre id="access">${esc(JSON.stringify(s.access, null, 2))}</pre>
       <p><a href="/licenses">授权给本系统的证照 Licenses granted to this system</a> ·
          <a href="/seal">用印 Seal a PDF</a> · <a href="/logout">退出 Sign out</a></p>`
    : `<p><a href="/login">通过统一身份认证登录 Sign in with the suite</a></p>`;
  res
    .type('html')
    .send(
      page(
        '示例业务系统',
        `${signedIn}<h2>后台退出通知 Back-channel logouts</h2><ul>${events || '<li>无 none</li>'}</ul>`,
      ),
    );
});

app.get('/login', async (_req, res) => {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  pending.set(state, { verifier, nonce, expires: Date.now() + 10 * 60_000 });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${BASE_URL}/callback`,
    scope: SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    // The access token is for e-seal (RFC 8707), so that the agent can seal with it.
    resource: `${SUITE_URL}/e-seal`,
  });
  res.redirect(url.href);
});

app.get('/callback', async (req, res, next) => {
  try {
    const state = String(req.query.state ?? '');
    const p = pending.get(state);
    pending.delete(state);
    if (!p || p.expires < Date.now()) return res.status(400).send('登录已过期 Sign-in expired');
    // The access token is for the resource named in the authorization request (e-seal).
    const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, BASE_URL), {
      pkceCodeVerifier: p.verifier,
      expectedState: state,
      expectedNonce: p.nonce,
    });
    const claims = tokens.claims();
    // The access token is an RFC 9068 JWT for e-seal: e-seal verifies it; this system only shows
    // what it says (roles, org for an agent, id_document with the idcard scope). The person's
    // name (profile scope) is in the ID token, not in the access token.
    const access = decodeJwt(tokens.access_token);
    const sid = randomBytes(24).toString('base64url');
    sessions.set(sid, {
      claims,
      access,
      idToken: tokens.id_token,
      sealToken: tokens.access_token,
      idpSid: claims.sid,
    });
    res.setHeader('set-cookie', `bs_sid=${sid}; HttpOnly; SameSite=Lax; Path=/`);
    res.redirect('/');
  } catch (err) {
    next(err);
  }
});

/** A client-credentials token of this system for one of the suite's services. */
async function serviceToken(resource, scope) {
  const t = await oidc.clientCredentialsGrant(config, {
    scope,
    resource: `${SUITE_URL}/${resource}`,
  });
  return t.access_token;
}

app.get('/licenses', async (req, res, next) => {
  try {
    if (!sessionOf(req)) return res.redirect('/login');
    const token = await serviceToken('e-license', 'license:read');
    // Every grant a holder gave this system (用证授权) that is still in force.
    const r = await fetch(`${SUITE_URL}/e-license/v1/shared/grants`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!r.ok) throw new Error(`e-license answered ${r.status}: ${await r.text()}`);
    const grants = await r.json();
    const rows = grants
      .map(
        (g) =>
          `<tr><td>${esc(g.name)}</td><td><a href="/licenses/${encodeURIComponent(g.identifier)}">${esc(g.identifier)}</a></td>` +
          `<td>${esc(g.purpose)}</td><td>${esc(g.validUntil)}</td></tr>`,
      )
      .join('');
    res.type('html').send(
      page(
        '证照 Licenses',
        `<h2>授权给本系统的证照 Licenses granted to this system</h2>
         <table><tr><th>证照 License</th><th>标识 Identifier</th><th>用途 Purpose</th><th>有效期至 Until</th></tr>
         ${rows || '<tr><td colspan="4">无 none</td></tr>'}</table><p><a href="/">返回 Back</a></p>`,
      ),
    );
  } catch (err) {
    next(err);
  }
});

// One license's data, read under the holder's grant; e-license logs the read for the holder.
app.get('/licenses/:identifier', async (req, res, next) => {
  try {
    if (!sessionOf(req)) return res.redirect('/login');
    const token = await serviceToken('e-license', 'license:read');
    const r = await fetch(
      `${SUITE_URL}/e-license/v1/shared/licenses/${encodeURIComponent(req.params.identifier)}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const body = await r.json();
    res
      .status(r.ok ? 200 : r.status)
      .type('html')
      .send(
        page(
          '证照 License',
          `<pre id="license">${esc(JSON.stringify(body, null, 2))}</pre><p><a href="/licenses">返回 Back</a></p>`,
        ),
      );
  } catch (err) {
    next(err);
  }
});

app.get('/seal', async (req, res, next) => {
  try {
    const s = sessionOf(req);
    if (!s) return res.redirect('/login');
    // The organisation the agent chose on the consent page, named in the ID token (`org`).
    const org = s.claims.org ?? s.access.org;
    if (!org) {
      return res
        .type('html')
        .send(
          page(
            '用印 Seal',
            `<p>只有代表单位登录的经办人可以用印。Only an agent signed in for an organisation can seal.</p><p><a href="/">返回 Back</a></p>`,
          ),
        );
    }
    const r = await fetch(
      `${SUITE_URL}/e-seal/v1/seals?ownerUscc=${encodeURIComponent(org.uscc)}`,
      {
        headers: { authorization: `Bearer ${s.sealToken}` },
      },
    );
    if (!r.ok) throw new Error(`e-seal answered ${r.status}: ${await r.text()}`);
    const seals = (await r.json()).filter((x) => x.status === 'in_use');
    const options = seals
      .map(
        (x) =>
          `<option value="${esc(x.id)}">${esc(x.name)} (${esc(x.ownerName ?? x.ownerUscc ?? '')})</option>`,
      )
      .join('');
    res.type('html').send(
      page(
        '用印 Seal',
        `<h2>用印 Seal a PDF</h2>
         <form method="post" action="/seal" enctype="multipart/form-data">
           <p><label for="sealId">印章 Seal</label> <select id="sealId" name="sealId" required>${options}</select></p>
           <p><label for="file">PDF 文件 File</label> <input id="file" name="file" type="file" accept="application/pdf" required></p>
           <p><label for="reason">用印事由 Reason</label> <input id="reason" name="reason" value="业务办理 Business"></p>
           <button type="submit">盖章 Seal</button></form><p><a href="/">返回 Back</a></p>`,
      ),
    );
  } catch (err) {
    next(err);
  }
});

app.post('/seal', async (req, res, next) => {
  try {
    const s = sessionOf(req);
    if (!s) return res.redirect('/login');
    // Node's own fetch machinery parses the browser's multipart form.
    const form = await new Request('http://local/', {
      method: 'POST',
      headers: req.headers,
      body: Readable.toWeb(req),
      duplex: 'half',
    }).formData();
    const out = new FormData();
    out.set('file', form.get('file'), 'document.pdf');
    out.set('sealId', String(form.get('sealId')));
    out.set('page', '1'); // 1-based
    out.set('x', '400');
    out.set('y', '80');
    out.set('reason', String(form.get('reason') ?? '业务办理'));
    const r = await fetch(`${SUITE_URL}/e-seal/v1/sealing`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.sealToken}` },
      body: out,
    });
    if (!r.ok) {
      const problem = await r.json().catch(() => ({}));
      return res
        .status(r.status)
        .type('html')
        .send(
          page(
            '用印失败 Sealing failed',
            `<p>${esc(problem.title ?? r.statusText)} (${esc(problem.code ?? r.status)})</p><p><a href="/seal">返回 Back</a></p>`,
          ),
        );
    }
    res.setHeader('content-disposition', 'attachment; filename="sealed.pdf"');
    res.type('application/pdf').send(Buffer.from(await r.arrayBuffer()));
  } catch (err) {
    next(err);
  }
});

app.get('/logout', (req, res) => {
  const s = sessionOf(req);
  sessions.delete(cookie(req, 'bs_sid'));
  res.setHeader('set-cookie', 'bs_sid=; Max-Age=0; Path=/');
  if (!s) return res.redirect('/');
  // client_id rather than id_token_hint: this request is a URL the browser keeps in its
  // history and every proxy may log, and an ID token says who the person is (identity keeps
  // the ID number out of it, but its name and sub are there too). identity still asks the person, ends its session and sends the
  // back-channel logout; client_id is what lets it honour post_logout_redirect_uri.
  const url = oidc.buildEndSessionUrl(config, {
    client_id: CLIENT_ID,
    post_logout_redirect_uri: `${BASE_URL}/`,
  });
  res.redirect(url.href);
});

// OpenID Connect Back-Channel Logout 1.0, section 2.6: validate the logout token, then end
// every session it names.
app.post('/backchannel-logout', express.urlencoded({ extended: false }), async (req, res) => {
  try {
    const { payload } = await jwtVerify(String(req.body?.logout_token ?? ''), jwks, {
      issuer: config.serverMetadata().issuer,
      audience: CLIENT_ID,
      typ: 'logout+jwt',
    });
    const events = payload.events ?? {};
    if (!('http://schemas.openid.net/event/backchannel-logout' in events) || 'nonce' in payload) {
      return res.status(400).json({ error: 'invalid_request' });
    }
    for (const [sid, s] of sessions) {
      if (
        (payload.sid && s.idpSid === payload.sid) ||
        (!payload.sid && s.claims.sub === payload.sub)
      ) {
        sessions.delete(sid);
      }
    }
    logoutEvents.unshift({ at: new Date().toISOString(), sid: payload.sid, sub: payload.sub });
    res.set('cache-control', 'no-store').status(200).end();
  } catch {
    res.status(400).json({ error: 'invalid_request' });
  }
});

app.use((err, _req, res, _next) => {
  console.error(err);
  res
    .status(500)
    .type('html')
    .send(page('出错了 Error', `<p>${esc(err.message)}</p>`));
});

app.listen(PORT, () => console.log(`example business system on ${BASE_URL}`));
