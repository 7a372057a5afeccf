import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { AuditLog } from '#audit';
import { makeSimplePdf } from '#pdf';
import { startSealTestSuite, type SealTestSuite } from '../src/testing/seal-test-suite.js';
import {
  api,
  callersFor,
  ORG_A,
  ORG_B,
  sealInUse,
  sealPdf,
  verifyPdf,
  YEAR,
} from '../src/testing/seal-fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the seal registry and its lifecycle', () => {
  let t: SealTestSuite;
  let a: Awaited<ReturnType<typeof callersFor>>;

  beforeAll(async () => {
    t = await startSealTestSuite();
    a = await callersFor(t, ORG_A);
  });

  afterAll(() => t.stop());

  it('records each step with who and when, and assigns a 13-digit seal code', async () => {
    const id = await sealInUse(t, ORG_A, { name: `${ORG_A.name}人事专用章` });

    const seal = await api(t, a.admin, 'GET', `/v1/seals/${id}`);
    const events = await api(t, a.admin, 'GET', `/v1/seals/${id}/events`);

    expect(seal.json).toMatchObject({
      status: 'in_use',
      ownerUscc: ORG_A.uscc,
      image: 'generated',
    });
    expect(seal.json.code).toMatch(new RegExp(`^${ORG_A.uscc.slice(2, 8)}\\d{7}$`));
    expect(seal.json.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(events.json.map((e: { to: string; actor: string }) => [e.to, e.actor])).toEqual([
      ['applied', `admin-${ORG_A.uscc}`],
      ['made', 'officer-1'],
      ['filed', 'officer-2'],
      ['in_use', `admin-${ORG_A.uscc}`],
    ]);
  });

  it('refuses filing by the person who applied (two different people)', async () => {
    const both = await t.token({
      sub: 'admin-and-officer',
      scopes: ['seal:manage', 'seal:approve'],
      roles: [
        { role: 'seal:manage', unit: ORG_A.uscc },
        { role: 'seal:approve', unit: '*' },
      ],
    });
    const applied = await api(t, both, 'POST', '/v1/seals', {
      ownerUscc: ORG_A.uscc,
      ownerName: ORG_A.name,
      name: `${ORG_A.name}财务专用章`,
      type: '业务专用章',
      validFrom: new Date().toISOString(),
      validTo: new Date(Date.now() + YEAR).toISOString(),
    });
    await api(t, both, 'POST', `/v1/seals/${applied.json.id}/make`, {});

    const filed = await api(t, both, 'POST', `/v1/seals/${applied.json.id}/file`, {});

    expect(filed.status).toBe(409);
    expect(filed.json.code).toBe('SealSameApprover');
  });

  it('refuses filing by the officer who made the seal (made and filed by two people)', async () => {
    const applied = await api(t, a.admin, 'POST', '/v1/seals', {
      ownerUscc: ORG_A.uscc,
      ownerName: ORG_A.name,
      name: `${ORG_A.name}档案专用章`,
      type: '业务专用章',
      validFrom: new Date().toISOString(),
      validTo: new Date(Date.now() + YEAR).toISOString(),
    });
    const id = applied.json.id as string;
    const made = await api(t, a.officer, 'POST', `/v1/seals/${id}/make`, {});

    const bySameOfficer = await api(t, a.officer, 'POST', `/v1/seals/${id}/file`, {});
    const byAnother = await api(t, a.filer, 'POST', `/v1/seals/${id}/file`, {});

    expect(made.status).toBe(201);
    expect(bySameOfficer.status).toBe(409);
    expect(bySameOfficer.json.code).toBe('SealSameMaker');
    expect(byAnother.status).toBe(201);
    expect(byAnother.json.status).toBe('filed');
  });

  it('refuses an organisation administrator applying for another organisation’s seal', async () => {
    const res = await api(t, a.admin, 'POST', '/v1/seals', {
      ownerUscc: ORG_B.uscc,
      ownerName: ORG_B.name,
      name: '冒用章',
      type: '法定名称章',
      validFrom: new Date().toISOString(),
      validTo: new Date(Date.now() + YEAR).toISOString(),
    });

    expect(res.status).toBe(403);
    expect(res.json.code).toBe('CallerNotAllowed');
  });

  it('reports signatures made before cancellation as revoked after signing, and refuses new sealing', async () => {
    const id = await sealInUse(t, ORG_A, { name: `${ORG_A.name}销售专用章` });
    const before = new Date();
    const res = await sealPdf(t, a.clerk, await makeSimplePdf(), { sealId: id, x: '50', y: '50' });
    const sealed = Buffer.from(await res.arrayBuffer());
    // CRL and time-stamp times are whole seconds: revoke in a later second than the signing.
    await sleep(1100);

    const cancelled = await api(t, a.admin, 'POST', `/v1/seals/${id}/cancel`, { note: '遗失' });
    const report = await verifyPdf(t, sealed);
    const again = await sealPdf(t, a.clerk, await makeSimplePdf(), {
      sealId: id,
      x: '50',
      y: '50',
    });
    const statusThen = await api(
      t,
      undefined,
      'GET',
      `/v1/seals/${id}/status?at=${before.toISOString()}`,
    );
    const statusNow = await api(t, undefined, 'GET', `/v1/seals/${id}/status`);

    expect(cancelled.json.status).toBe('cancelled');
    expect(report.signatures[0]).toMatchObject({
      indication: 'TOTAL_PASSED',
      certificate: { revocationAtSigningTime: 'revokedAfterSigning', revokedNow: true },
      seal: { sealId: id, validAtSigningTime: true, currentStatus: 'cancelled' },
    });
    expect(report.signatures[0].warnings).toContain('revokedAfterSigning');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('SealNotActive');
    expect(statusThen.json).toMatchObject({ validAt: true, statusAt: 'in_use' });
    expect(statusNow.json).toMatchObject({ validAt: false, statusAt: 'cancelled' });
  });

  it('puts a suspended seal’s certificate on hold in the CRL and takes it off when resumed', async () => {
    const id = await sealInUse(t, ORG_A, { name: `${ORG_A.name}质检专用章` });
    const serial = (await api(t, a.admin, 'GET', `/v1/seals/${id}`)).json.certificateSerial;
    const crlText = async () => {
      const der = Buffer.from(await (await fetch(t.url('e-seal', '/v1/pki/crl'))).arrayBuffer());
      const dir = mkdtempSync(join(tmpdir(), 'crl-'));
      writeFileSync(join(dir, 'c.crl'), der);
      return execFileSync(
        'openssl',
        ['crl', '-inform', 'DER', '-in', join(dir, 'c.crl'), '-text', '-noout'],
        {
          encoding: 'utf8',
        },
      );
    };

    await api(t, a.admin, 'POST', `/v1/seals/${id}/suspend`, {});
    const held = await crlText();
    await api(t, a.admin, 'POST', `/v1/seals/${id}/resume`, {});
    const resumed = await crlText();

    expect(held.toLowerCase()).toContain(serial);
    expect(held).toContain('Certificate Hold');
    expect(resumed.toLowerCase()).not.toContain(serial);
  });

  it('shows the usage log to the owner organisation only', async () => {
    const id = await sealInUse(t, ORG_A, { name: `${ORG_A.name}报关专用章` });
    const input = await makeSimplePdf();
    const res = await sealPdf(t, a.clerk, input, { sealId: id, x: '50', y: '50', reason: '报关' });
    const other = await callersFor(t, ORG_B);

    const log = await api(t, a.admin, 'GET', `/v1/seals/${id}/usage`);
    const refused = await api(t, other.admin, 'GET', `/v1/seals/${id}/usage`);

    expect(log.json).toEqual([
      expect.objectContaining({
        id: res.headers.get('x-seal-usage-id'),
        caller: { sub: `clerk-${ORG_A.uscc}`, clientId: 'portal', kind: 'person' },
        sha256Before: res.headers.get('x-document-sha256-before'),
        sha256After: res.headers.get('x-document-sha256-after'),
        reason: '报关',
      }),
    ]);
    expect(refused.status).toBe(403);
  });

  it('lets a business system named on the seal use it, and no other', async () => {
    const id = await sealInUse(t, ORG_B, {
      name: `${ORG_B.name}证照专用章`,
      allowedClients: ['svc-e-license'],
    });
    const named = await t.token({
      sub: 'svc-e-license',
      clientId: 'svc-e-license',
      scopes: ['seal:apply'],
    });
    const stranger = await t.token({
      sub: 'svc-other',
      clientId: 'svc-other',
      scopes: ['seal:apply'],
    });

    const ok = await sealPdf(t, named, await makeSimplePdf(), { sealId: id, x: '50', y: '50' });
    const refused = await sealPdf(t, stranger, await makeSimplePdf(), {
      sealId: id,
      x: '50',
      y: '50',
    });

    expect(ok.status).toBe(200);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('CallerNotAllowed');

    const b = await callersFor(t, ORG_B);
    const changed = await api(t, b.admin, 'PUT', `/v1/seals/${id}/allowed-clients`, {
      allowedClients: ['svc-e-license', 'svc-other'],
    });
    const now = await sealPdf(t, stranger, await makeSimplePdf(), { sealId: id, x: '50', y: '50' });
    expect(changed.json.allowedClients).toEqual(['svc-e-license', 'svc-other']);
    expect(now.status).toBe(200);
  });

  it('writes every registry change and every use to the hash-chained audit log', async () => {
    const id = await sealInUse(t, ORG_A, { name: `${ORG_A.name}审计专用章` });
    await sealPdf(t, a.clerk, await makeSimplePdf(), { sealId: id, x: '50', y: '50' });
    const client = new pg.Client({ connectionString: t.db.url });
    await client.connect();
    const { rows } = await client.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM e_seal.audit_log WHERE subject = $1 ORDER BY id`,
      [`seal:${id}`],
    );
    await client.end();
    const chain = await t.suite.apps['e-seal'].get(AuditLog).verifyChain();

    expect(rows.map((r) => r.action)).toEqual([
      'seal.applied',
      'seal.make',
      'seal.file',
      'seal.activate',
      'seal.used',
    ]);
    expect(rows[4]!.actor).toBe(`clerk-${ORG_A.uscc}`);
    expect(chain.ok).toBe(true);
  });
});
