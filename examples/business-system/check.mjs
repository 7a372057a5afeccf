// Drives this example business system as a person in a browser would, with no JavaScript:
// sign-in through the suite's real pages -> claims -> licenses granted -> seal a PDF ->
// sign-out, then waits for the back-channel logout to show on the home page.
//
//   node check.mjs --pdf some.pdf [--user lisi --password 'Lisi#2024demo' --act-for 91110105MA0000007L]
//
// Needs the suite (SUITE_URL, default http://localhost:3000) and this system (APP_URL, default
// http://localhost:4000) running. Exits non-zero at the first step that does not hold.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    user: { type: 'string', default: 'lisi' },
    password: { type: 'string', default: 'Lisi#2024demo' },
    'act-for': { type: 'string', default: '91110105MA0000007L' },
    pdf: { type: 'string' },
    out: { type: 'string', default: 'sealed-by-example.pdf' },
  },
});
const APP = process.env.APP_URL ?? 'http://localhost:4000';
const SUITE = process.env.SUITE_URL ?? 'http://localhost:3000';
const step = (m) => console.log(`✔ ${m}`);
const fail = (m) => {
  console.error(`✘ ${m}`);
  process.exit(1);
};

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
    if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(c))
      jar.delete(`${host}|${name}`);
    else jar.set(`${host}|${name}`, value);
  }
  return res;
}
/** Follows every redirect, across both hosts, to the final page. */
async function browse(url, init) {
  let res = await request(url, init);
  for (let i = 0; i < 20 && res.status >= 300 && res.status < 400; i++) {
    url = new URL(res.headers.get('location'), url).href;
    res = await request(url);
  }
  return { url, status: res.status, page: await res.text() };
}
const unescape = (s) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
function formOf(html, suffix) {
  for (const f of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!unescape(f[1]).endsWith(suffix)) continue;
    const fields = {};
    for (const m of f[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[m[1]] = unescape(m[2]);
    }
    return { action: unescape(f[1]), fields };
  }
  fail(`no form ending with ${suffix}`);
}
const post = (url, fields) =>
  browse(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const pre = (page, id) => {
  const m = new RegExp(`<pre id="${id}">([\\s\\S]*?)</pre>`).exec(page);
  return m ? JSON.parse(unescape(m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>'))) : undefined;
};

// 1. Sign-in: the example redirects to the suite; fill the sign-in and consent pages.
let p = await browse(`${APP}/login`);
if (!p.page.includes('name="password"')) fail(`no sign-in page at ${p.url}`);
const login = formOf(p.page, '/login');
p = await post(new URL(login.action, p.url).href, {
  ...login.fields,
  identifier: o.user,
  password: o.password,
});
if (p.page.includes('/consent"')) {
  const consent = formOf(p.page, '/consent');
  const choice = [
    ...p.page.matchAll(/name="organisation" value="([0-9a-f-]{36})">(.*?)<\/div>/gs),
  ].find((m) => m[2].includes(o['act-for']));
  p = await post(new URL(consent.action, p.url).href, {
    ...consent.fields,
    organisation: choice ? choice[1] : '',
  });
}
if (!p.url.startsWith(APP) || !p.page.includes('已登录')) fail(`not signed in: ${p.url}`);
const claims = pre(p.page, 'claims');
const access = pre(p.page, 'access');
step(
  `signed in through the suite's pages: sub ${claims.sub}, acr ${claims.acr}, sid ${claims.sid}`,
);
step(
  `ID token org ${claims.org ? JSON.stringify(claims.org) : 'none (acting as oneself)'}; access token aud ${access.aud}, roles ${JSON.stringify(access.roles)}`,
);

// 2. Licenses holders granted to this system (client credentials, license:read).
p = await browse(`${APP}/licenses`);
if (p.status !== 200) fail(`licenses page ${p.status}: ${p.page.slice(0, 300)}`);
const grants = [...p.page.matchAll(/<a href="\/licenses\/([^"]+)">/g)].map((m) =>
  decodeURIComponent(m[1]),
);
step(
  `licenses page lists ${grants.length} granted license(s)${grants[0] ? `, e.g. ${grants[0]}` : ''}`,
);
if (grants[0]) {
  p = await browse(`${APP}/licenses/${encodeURIComponent(grants[0])}`);
  const lic = pre(p.page, 'license');
  step(
    `read ${lic.name} ${lic.licenseNumber}: status ${lic.status}, basis ${lic.basis}, purpose ${lic.purpose}`,
  );
}

// 3. Seal a PDF: the seal page lists the organisation's seals; upload the PDF.
if (o.pdf) {
  p = await browse(`${APP}/seal`);
  const sealId = /<option value="([^"]+)">/.exec(p.page)?.[1];
  if (!sealId) fail(`no seal offered: ${p.page.slice(-400)}`);
  step(
    `seal page offers ${[...p.page.matchAll(/<option /g)].length} seal(s) of ${claims.org?.uscc}`,
  );
  const form = new FormData();
  form.set('sealId', sealId);
  form.set('reason', '示例业务系统用印');
  form.set('file', new Blob([readFileSync(o.pdf)], { type: 'application/pdf' }), 'doc.pdf');
  const r = await request(`${APP}/seal`, { method: 'POST', body: form });
  if (r.status !== 200) fail(`sealing ${r.status}: ${await r.text()}`);
  const sealed = Buffer.from(await r.arrayBuffer());
  writeFileSync(o.out, sealed);
  const v = await (
    await fetch(`${SUITE}/e-seal/v1/verification`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: sealed,
    })
  ).json();
  if (v.indication !== 'TOTAL_PASSED') fail(`verification: ${JSON.stringify(v).slice(0, 400)}`);
  step(
    `sealed ${o.pdf} -> ${o.out} (${sealed.length} bytes); e-seal verifies: ${v.summary.en}, signer ${v.signatures.at(-1).signer.organisationName}`,
  );
}

// 4. Sign-out: the example ends its session and sends the browser to the suite's end-session
// page; confirm there; identity then posts a logout token to /backchannel-logout.
p = await browse(`${APP}/logout`);
const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(p.page)?.[1];
const xsrf = /name="xsrf" value="([^"]+)"/.exec(p.page)?.[1];
if (!action || !xsrf) fail(`no logout confirmation page: ${p.page.slice(0, 300)}`);
p = await post(new URL(unescape(action), p.url).href, { xsrf, logout: 'yes' });
if (!p.url.startsWith(APP)) fail(`not back at the example after sign-out: ${p.url}`);
step(`signed out; back at ${p.url}`);
for (let i = 0; i < 50; i++) {
  const home = await (await fetch(`${APP}/`)).text();
  if (home.includes(`sid ${claims.sid}`)) {
    step(`back-channel logout received for sid ${claims.sid}`);
    process.exit(0);
  }
  await new Promise((r) => setTimeout(r, 200));
}
fail('no back-channel logout within 10 s');
