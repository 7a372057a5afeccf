import { createHash } from 'node:crypto';

import { issueCrl } from '../crl/issue-crl.js';
import { createTestPki, type TestPki } from '../testing/test-pki.js';
import { localTimestamper } from '../tsp/local-timestamper.js';
import { x509 } from '../x509.js';
import { createCadesSignature } from './cades-signature.js';
import { verifyCmsSignature } from './verify-cms-signature.js';

const now = new Date('2025-03-01T08:00:00Z');
const DAY = 86_400_000;
const content = Buffer.from('%PDF-1.7 signed byte ranges');
const digest = createHash('sha256').update(content).digest();

describe('verifyCmsSignature', () => {
  let pki: TestPki;
  let signed: Buffer;

  beforeAll(async () => {
    pki = await createTestPki({ now });
    signed = await createCadesSignature({
      digest,
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      chain: [pki.issuing.certificate],
      timestamp: localTimestamper(
        {
          key: pki.tsa.privateKey,
          certificate: pki.tsa.certificate,
          chain: [pki.issuing.certificate],
          policyOid: '1.2.156.999.1.1',
        },
        () => now,
      ),
    });
  });

  it('reports a platform B-T signature valid, with the decoded seal subject and timestamp', async () => {
    const report = await verifyCmsSignature(signed, digest, {
      trustRoots: [pki.root.certificate],
      at: now,
    });

    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      valid: true,
      digestMatches: true,
      signatureValid: true,
      digestAlgorithm: 'sha256',
      chain: { trusted: true, notIssuedByPlatform: false },
      signingTime: { time: now, source: 'timestamp', proven: true },
      validityAtSigningTime: 'valid',
      validityNow: 'valid',
      signingCertificate: 'v2Matches',
      timestamp: { present: true, valid: true, imprintMatches: true, trusted: true },
    });
    expect(report.signer?.subject).toMatchObject({
      organisationName: '福州市某某科技有限公司',
      uscc: '91350100MA2XXXXX0X',
      sealCode: '3501000012345',
    });
    expect(report.chain.path).toHaveLength(3);
  });

  it('reports a digest mismatch when the signed bytes changed', async () => {
    const altered = createHash('sha256').update('%PDF-1.7 altered').digest();

    const report = await verifyCmsSignature(signed, altered, {
      trustRoots: [pki.root.certificate],
      at: now,
    });

    expect(report.valid).toBe(false);
    expect(report.digestMatches).toBe(false);
    expect(report.signatureValid).toBe(true);
    expect(report.problems).toContain('digestMismatch');
  });

  it('reports a signature from another PKI as not issued by the platform', async () => {
    const other = await createTestPki({ now, freshKeys: true });

    const report = await verifyCmsSignature(signed, digest, {
      trustRoots: [other.root.certificate],
      at: now,
    });

    expect(report.chain.notIssuedByPlatform).toBe(true);
    expect(report.problems).toContain('notIssuedByPlatform');
  });

  it('reports the signer certificate expired now but valid when time-stamped', async () => {
    const later = new Date(now.getTime() + 1000 * DAY);

    const report = await verifyCmsSignature(signed, digest, {
      trustRoots: [pki.root.certificate],
      at: later,
    });

    expect(report.validityNow).toBe('expired');
    expect(report.validityAtSigningTime).toBe('valid');
    expect(report.problems).toEqual(['expiredNow']);
    expect(report.valid).toBe(true);
  });

  it('reports revocation before signing as revoked and after signing as revoked later', async () => {
    const serialNumber = new x509.X509Certificate(pki.seal.certificate).serialNumber;
    const crlWith = (revocationDate: Date) =>
      issueCrl({
        issuer: { certificate: pki.issuing.certificate, key: pki.issuing.privateKey },
        thisUpdate: new Date(now.getTime() + 10 * DAY),
        nextUpdate: new Date(now.getTime() + 17 * DAY),
        crlNumber: 1,
        entries: [{ serialNumber, revocationDate, reason: 'keyCompromise' }],
      });
    const options = { trustRoots: [pki.root.certificate], at: new Date(now.getTime() + 10 * DAY) };

    const before = await verifyCmsSignature(signed, digest, {
      ...options,
      crls: [await crlWith(new Date(now.getTime() - 3600_000))],
    });
    const after = await verifyCmsSignature(signed, digest, {
      ...options,
      crls: [await crlWith(new Date(now.getTime() + 5 * DAY))],
    });

    expect(before.revocation.status).toBe('revoked');
    expect(before.valid).toBe(false);
    expect(after.revocation.status).toBe('revokedAfter');
    expect(after.valid).toBe(true);
  });

  it('uses the claimed signing time when there is no time-stamp', async () => {
    const plain = await createCadesSignature({
      digest,
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      chain: [pki.issuing.certificate],
    });

    const report = await verifyCmsSignature(plain, digest, {
      trustRoots: [pki.root.certificate],
      at: now,
      claimedSigningTime: now,
    });

    expect(report.valid).toBe(true);
    expect(report.timestamp.present).toBe(false);
    expect(report.signingTime).toEqual({ time: now, source: 'claimed', proven: false });
  });

  describe('a key revoked after it was stolen', () => {
    const stolenAt = new Date(now.getTime() + 20 * DAY);
    const verifiedAt = new Date(now.getTime() + 30 * DAY);
    const backDated = new Date(now.getTime() + 2 * DAY);
    let crl: Buffer;

    beforeAll(async () => {
      const serialNumber = new x509.X509Certificate(pki.seal.certificate).serialNumber;
      crl = await issueCrl({
        issuer: { certificate: pki.issuing.certificate, key: pki.issuing.privateKey },
        thisUpdate: new Date(stolenAt.getTime() + DAY),
        nextUpdate: new Date(stolenAt.getTime() + 40 * DAY),
        crlNumber: 2,
        entries: [{ serialNumber, revocationDate: stolenAt, reason: 'keyCompromise' }],
      });
    });

    it('judges a back-dated B-B signature at the current time, so it is revoked', async () => {
      const plain = await createCadesSignature({
        digest,
        key: pki.seal.privateKey,
        certificate: pki.seal.certificate,
        chain: [pki.issuing.certificate],
      });

      const report = await verifyCmsSignature(plain, digest, {
        trustRoots: [pki.root.certificate],
        crls: [crl],
        at: verifiedAt,
        claimedSigningTime: backDated,
      });

      expect(report.signingTime).toEqual({ time: backDated, source: 'claimed', proven: false });
      expect(report.validationTime).toEqual(verifiedAt);
      expect(report.revocation.status).toBe('revoked');
      expect(report.problems).toContain('revoked');
      expect(report.valid).toBe(false);
    });

    it('does not take the genTime of a self-made TSA as proof of the signing time', async () => {
      const own = await createTestPki({ now, freshKeys: true });
      const forged = await createCadesSignature({
        digest,
        key: pki.seal.privateKey,
        certificate: pki.seal.certificate,
        chain: [pki.issuing.certificate],
        timestamp: localTimestamper(
          {
            key: own.tsa.privateKey,
            certificate: own.tsa.certificate,
            chain: [own.issuing.certificate, own.root.certificate],
            policyOid: '1.2.156.999.1.1',
          },
          () => backDated,
        ),
      });

      const report = await verifyCmsSignature(forged, digest, {
        trustRoots: [pki.root.certificate],
        crls: [crl],
        at: verifiedAt,
      });

      expect(report.timestamp).toMatchObject({ present: true, valid: true, trusted: false });
      expect(report.signingTime.proven).toBe(false);
      expect(report.revocation.status).toBe('revoked');
      expect(report.problems).toEqual(expect.arrayContaining(['timestampNotTrusted', 'revoked']));
      expect(report.valid).toBe(false);
    });

    it('keeps a signature time-stamped by the platform TSA before the theft valid', async () => {
      const report = await verifyCmsSignature(signed, digest, {
        trustRoots: [pki.root.certificate],
        crls: [crl],
        at: verifiedAt,
      });

      expect(report.signingTime).toEqual({ time: now, source: 'timestamp', proven: true });
      expect(report.revocation.status).toBe('revokedAfter');
      expect(report.valid).toBe(true);
    });
  });
});
