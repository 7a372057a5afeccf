/* eslint-disable @typescript-eslint/no-explicit-any -- test helpers read JSON answers loosely */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeUscc } from '#common';
import type { SealTestSuite } from './seal-test-suite.js';

export const ORG_A = { uscc: completeUscc('91350100M0001000'), name: '甲方科技有限公司' };
export const ORG_B = { uscc: completeUscc('91350100M0002000'), name: '乙方贸易有限公司' };

const YEAR = 365 * 24 * 3600 * 1000;

/**
 * Callers of a test: the owner's administrator, two platform officers (one makes seals, the
 * other files them: 电子印章管理办法 wants two people), a clerk allowed to seal.
 */
export async function callersFor(t: SealTestSuite, org: { uscc: string }) {
  return {
    admin: await t.token({
      sub: `admin-${org.uscc}`,
      clientId: 'portal',
      scopes: ['seal:manage', 'seal:read'],
      roles: [{ role: 'seal:manage', unit: org.uscc }],
    }),
    officer: await t.token({
      sub: 'officer-1',
      clientId: 'portal',
      scopes: ['seal:approve', 'seal:read'],
      roles: [{ role: 'seal:approve', unit: '*' }],
    }),
    filer: await t.token({
      sub: 'officer-2',
      clientId: 'portal',
      scopes: ['seal:approve', 'seal:read'],
      roles: [{ role: 'seal:approve', unit: '*' }],
    }),
    clerk: await t.token({
      sub: `clerk-${org.uscc}`,
      clientId: 'portal',
      scopes: ['seal:apply', 'seal:read'],
      roles: [{ role: 'seal:apply', unit: org.uscc }],
    }),
  };
}

export async function api(
  t: SealTestSuite,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(t.url('e-seal', path), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/** Applies for a seal and takes it through make, file and activate: in use. */
export async function sealInUse(
  t: SealTestSuite,
  org: { uscc: string; name: string },
  options: { name?: string; allowedClients?: string[]; imagePng?: string } = {},
): Promise<string> {
  const c = await callersFor(t, org);
  const now = Date.now();
  const applied = await api(t, c.admin, 'POST', '/v1/seals', {
    ownerUscc: org.uscc,
    ownerName: org.name,
    name: options.name ?? `${org.name}合同专用章`,
    type: '业务专用章',
    validFrom: new Date(now - 3600_000).toISOString(),
    validTo: new Date(now + 2 * YEAR).toISOString(),
    allowedClients: options.allowedClients ?? [],
    imagePng: options.imagePng,
  });
  if (applied.status !== 201) throw new Error(`apply: ${JSON.stringify(applied.json)}`);
  const id = applied.json.id as string;
  for (const [step, token] of [
    ['make', c.officer],
    ['file', c.filer],
    ['activate', c.admin],
  ] as const) {
    const r = await api(t, token, 'POST', `/v1/seals/${id}/${step}`, {});
    if (r.status !== 201) throw new Error(`${step}: ${JSON.stringify(r.json)}`);
  }
  return id;
}

export async function sealPdf(
  t: SealTestSuite,
  token: string,
  pdf: Buffer,
  fields: Record<string, string>,
  fileName = 'document.pdf',
): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), fileName);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(t.url('e-seal', '/v1/sealing'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
}

export async function verifyPdf(t: SealTestSuite, pdf: Buffer): Promise<any> {
  const res = await fetch(t.url('e-seal', '/v1/verification'), {
    method: 'POST',
    headers: { 'content-type': 'application/pdf' },
    body: new Uint8Array(pdf),
  });
  if (res.status !== 200) throw new Error(`verify: ${res.status} ${await res.text()}`);
  return res.json();
}

/** An NSS database trusting the platform root, for `pdfsig -nssdir`. */
export async function nssTrustingPlatformRoot(t: SealTestSuite): Promise<string> {
  const bundle = await (await fetch(t.url('e-seal', '/v1/pki/ca'))).text();
  const root = bundle.split(/(?=-----BEGIN CERTIFICATE-----)/)[1]!;
  const dir = mkdtempSync(join(tmpdir(), 'e-seal-nss-'));
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  writeFileSync(join(dir, 'root.pem'), root);
  execFileSync('certutil', [
    '-A',
    '-d',
    `sql:${dir}`,
    '-n',
    'root',
    '-t',
    'CT,C,C',
    '-i',
    join(dir, 'root.pem'),
  ]);
  return dir;
}

export { YEAR };
