import { createHash } from 'node:crypto';

import { createIssuingCa } from '../ca/certificate-authority.js';
import { issueCertificate, type CertificateIssuer } from '../ca/issue-certificate.js';
import { issueSealCertificate } from '../ca/seal-certificate.js';
import { createCadesSignature } from '../cms/cades-signature.js';
import { verifyCmsSignature } from '../cms/verify-cms-signature.js';
import { issueCrl } from '../crl/issue-crl.js';
import type { CertificateDer } from '../der.js';
import { createTestPki, type TestPki } from '../testing/test-pki.js';
import { localTimestamper } from '../tsp/local-timestamper.js';
import { createTimeStampRequest } from '../tsp/timestamp-request.js';
import { respondToTimeStampRequest } from '../tsp/timestamp-responder.js';
import { extractTimeStampToken, verifyTimeStampToken } from '../tsp/timestamp-token.js';
import { x509 } from '../x509.js';
import { buildCertificationPath } from './certification-path.js';
import { validateCertificationPath } from './path-validation.js';

const now = new Date('2025-03-01T08:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(now.getTime() + days * DAY);
const digest = createHash('sha256').update('contract').digest();
const { KeyUsageFlags } = x509;

describe('certification path validation (RFC 5280 6.1)', () => {
  let pki: TestPki;
  let issuing: CertificateIssuer;
  const seal = (issuer: CertificateIssuer, notAfter = at(300)) =>
    issueSealCertificate({
      organisation: { name: '某某有限公司', uscc: '91350100MA2XXXXX0X' },
      seal: { name: '某某有限公司公章', code: '3501000000009' },
      publicKey: pki.seal.publicKey,
      issuer,
      crlDistributionPoint: 'http://pki.test.invalid/crl/x.crl',
      notBefore: at(-1),
      notAfter,
    });
  const sign = (certificate: CertificateDer, chain: CertificateDer[]) =>
    createCadesSignature({ digest, key: pki.seal.privateKey, certificate, chain });
  const verify = (cms: Buffer) =>
    verifyCmsSignature(cms, digest, {
      trustRoots: [pki.root.certificate],
      at: now,
      claimedSigningTime: now,
    });

  beforeAll(async () => {
    pki = await createTestPki({ now });
    issuing = { certificate: pki.issuing.certificate, key: pki.issuing.privateKey };
  });

  it('accepts the platform path: root, issuing CA, seal certificate', async () => {
    const built = buildCertificationPath(pki.seal.certificate, pki.chain, [pki.root.certificate]);

    const checked = validateCertificationPath(built.path, { at: now, purpose: 'signature' });

    expect(checked).toEqual({ valid: true, problems: [], findings: [] });
  });

  it('refuses a seal certificate used as a CA to issue another certificate', async () => {
    const leafAsCa = { certificate: pki.seal.certificate, key: pki.seal.privateKey };
    const forged = await seal(leafAsCa);

    const report = await verify(
      await sign(forged, [pki.seal.certificate, pki.issuing.certificate]),
    );

    expect(report.chain.path).toHaveLength(4);
    expect(report.chain.trusted).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining(['notIssuedByPlatform', 'issuerNotCa', 'pathLengthExceeded']),
    );
    expect(report.chain.findings).toContainEqual(
      expect.objectContaining({ index: 1, problem: 'issuerNotCa' }),
    );
    expect(report.valid).toBe(false);
  });

  it('refuses a CA certificate whose keyUsage lacks keyCertSign', async () => {
    const crlOnly = await issueCertificate({
      subject: { country: 'CN', commonName: '只签CRL的CA' },
      publicKey: pki.issuing.publicKey,
      issuer: { certificate: pki.root.certificate, key: pki.root.privateKey },
      notBefore: at(-10),
      notAfter: at(100),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(KeyUsageFlags.cRLSign, true),
      ],
    });
    const leaf = await seal({ certificate: crlOnly, key: pki.issuing.privateKey });

    const report = await verify(await sign(leaf, [crlOnly]));

    expect(report.problems).toContain('issuerKeyCertSignMissing');
    expect(report.problems).not.toContain('issuerNotCa');
    expect(report.chain.trusted).toBe(false);
    expect(report.valid).toBe(false);
  });

  it('refuses an intermediate that had expired when the signature was made', async () => {
    const expired = await createIssuingCa({
      subject: { country: 'CN', commonName: '已过期的电子印章CA' },
      publicKey: pki.issuing.publicKey,
      issuer: { certificate: pki.root.certificate, key: pki.root.privateKey },
      notBefore: at(-400),
      notAfter: at(-30),
    });
    // The seal certificate itself is inside its own validity at the signing time.
    const leaf = await seal({ certificate: expired, key: pki.issuing.privateKey });

    const report = await verify(await sign(leaf, [expired]));

    expect(report.validityAtSigningTime).toBe('valid');
    expect(report.chain.trusted).toBe(true);
    expect(report.problems).toEqual(['issuerNotValidAtSigningTime']);
    expect(report.valid).toBe(false);
  });

  it('honours pathLenConstraint 0 of the issuing CA when it issues another CA', async () => {
    const subCa = await createIssuingCa({
      subject: { country: 'CN', commonName: '越权下级CA' },
      publicKey: pki.tsa.publicKey,
      issuer: issuing,
      notBefore: at(-10),
      notAfter: at(100),
    });
    const leaf = await seal({ certificate: subCa, key: pki.tsa.privateKey });
    const built = buildCertificationPath(leaf, [subCa, ...pki.chain], [pki.root.certificate]);

    const checked = validateCertificationPath(built.path, { at: now, purpose: 'signature' });

    expect(built.path).toHaveLength(4);
    expect(built.trusted).toBe(false);
    expect(checked.problems).toEqual(['pathLengthExceeded']);
    expect(checked.findings).toEqual([expect.objectContaining({ index: 2 })]);
  });

  it('refuses a signer certificate whose keyUsage is for key encipherment only', async () => {
    const encipherment = await issueCertificate({
      subject: { country: 'CN', commonName: '加密证书' },
      publicKey: pki.seal.publicKey,
      issuer: issuing,
      notBefore: at(-1),
      notAfter: at(100),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KeyUsageFlags.keyEncipherment, true),
      ],
    });

    const report = await verify(await sign(encipherment, [pki.issuing.certificate]));

    expect(report.problems).toEqual(['signerKeyUsageNotForSigning']);
    expect(report.valid).toBe(false);
  });
});

describe('time-stamp token TSA certificate and nonce (RFC 3161 2.3, 2.4.2)', () => {
  let pki: TestPki;
  const tsaWith = (certificate: CertificateDer, chain: CertificateDer[]) => ({
    key: pki.tsa.privateKey,
    certificate,
    chain,
    policyOid: '1.2.156.999.1.1',
    now,
  });
  const tokenFrom = async (tsa: ReturnType<typeof tsaWith>, nonce?: Buffer) => {
    const request = createTimeStampRequest(digest, { nonce });
    return extractTimeStampToken(await respondToTimeStampRequest(request.der, tsa));
  };

  beforeAll(async () => {
    pki = await createTestPki({ now });
  });

  it('accepts the platform TSA token with the nonce it was asked for', async () => {
    const nonce = Buffer.from('0102030405060708', 'hex');
    const token = await tokenFrom(tsaWith(pki.tsa.certificate, [pki.issuing.certificate]), nonce);

    const result = await verifyTimeStampToken(token, digest, {
      trustRoots: [pki.root.certificate],
      expectedNonce: nonce,
    });

    expect(result).toMatchObject({ trusted: true, nonceMatches: true, problems: [] });
    expect(result.tsaValidityAtGenTime).toBe('valid');
  });

  it('reports a token that echoes another nonce', async () => {
    const token = await tokenFrom(
      tsaWith(pki.tsa.certificate, [pki.issuing.certificate]),
      Buffer.from('0a0b0c0d', 'hex'),
    );

    const result = await verifyTimeStampToken(token, digest, {
      trustRoots: [pki.root.certificate],
      expectedNonce: Buffer.from('0a0b0c0e', 'hex'),
    });

    expect(result.nonceMatches).toBe(false);
    expect(result.problems).toEqual(['nonceMismatch']);
  });

  it('refuses a TSA certificate without the critical timeStamping-only extended key usage', async () => {
    const plain = await issueCertificate({
      subject: { country: 'CN', commonName: '无时间戳用途的证书' },
      publicKey: pki.tsa.publicKey,
      issuer: { certificate: pki.issuing.certificate, key: pki.issuing.privateKey },
      notBefore: at(-10),
      notAfter: at(100),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        // Present and listing timeStamping, but not critical and not alone.
        new x509.ExtendedKeyUsageExtension(
          [x509.ExtendedKeyUsage.timeStamping, x509.ExtendedKeyUsage.codeSigning],
          false,
        ),
      ],
    });
    const token = await tokenFrom(tsaWith(plain, [pki.issuing.certificate]));

    const result = await verifyTimeStampToken(token, digest, {
      trustRoots: [pki.root.certificate],
    });

    expect(result.signatureValid).toBe(true);
    expect(result.problems).toEqual(['extendedKeyUsageNotTimeStamping']);
  });

  it('checks the TSA certificate at genTime: validity and revocation', async () => {
    const expiredTsa = await issueCertificate({
      subject: { country: 'CN', commonName: '过期时间戳服务' },
      publicKey: pki.tsa.publicKey,
      issuer: { certificate: pki.issuing.certificate, key: pki.issuing.privateKey },
      notBefore: at(-100),
      notAfter: at(-1),
      extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true)],
    });
    const serialNumber = new x509.X509Certificate(pki.tsa.certificate).serialNumber;
    const crl = await issueCrl({
      issuer: { certificate: pki.issuing.certificate, key: pki.issuing.privateKey },
      thisUpdate: at(1),
      nextUpdate: at(8),
      crlNumber: 1,
      entries: [{ serialNumber, revocationDate: at(-2), reason: 'keyCompromise' }],
    });
    const options = { trustRoots: [pki.root.certificate], crls: [crl] };

    const expired = await verifyTimeStampToken(
      await tokenFrom(tsaWith(expiredTsa, [pki.issuing.certificate])),
      digest,
      options,
    );
    const revoked = await verifyTimeStampToken(
      await tokenFrom(tsaWith(pki.tsa.certificate, [pki.issuing.certificate])),
      digest,
      options,
    );

    expect(expired.tsaValidityAtGenTime).toBe('expired');
    expect(expired.problems).toContain('tsaNotValidAtGenTime');
    expect(revoked.tsaRevocation.status).toBe('revoked');
    expect(revoked.problems).toEqual(['tsaRevoked']);
  });

  it('makes a B-T signature invalid when its time-stamp comes from a certificate without the EKU', async () => {
    const sealOnly = { certificate: pki.seal.certificate, key: pki.seal.privateKey };
    const cms = await createCadesSignature({
      digest,
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      chain: [pki.issuing.certificate],
      timestamp: localTimestamper(
        {
          key: sealOnly.key,
          certificate: sealOnly.certificate,
          chain: [pki.issuing.certificate],
          policyOid: '1.2.156.999.1.1',
        },
        () => now,
      ),
    });

    const report = await verifyCmsSignature(cms, digest, {
      trustRoots: [pki.root.certificate],
      at: now,
    });

    expect(report.timestamp).toMatchObject({ present: true, valid: true, trusted: true });
    expect(report.problems).toEqual(['timestampCertificateUsageInvalid']);
    expect(report.valid).toBe(false);
  });
});
