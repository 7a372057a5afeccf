import { toPem } from '../der.js';
import { runOpenssl } from '../testing/openssl.js';
import { createTestPki, type TestPki } from '../testing/test-pki.js';
import { x509 } from '../x509.js';
import { issueCrl } from './issue-crl.js';
import { parseCrl } from './parse-crl.js';
import { checkRevocation } from './revocation-status.js';

const now = new Date('2025-03-01T08:00:00Z');
const revokedAt = new Date('2025-03-10T00:00:00Z');
const DAY = 86_400_000;

describe('CRL', () => {
  let pki: TestPki;
  let crl: Buffer;
  let sealSerial: string;

  beforeAll(async () => {
    pki = await createTestPki({ now });
    sealSerial = new x509.X509Certificate(pki.seal.certificate).serialNumber;
    crl = await issueCrl({
      issuer: { certificate: pki.issuing.certificate, key: pki.issuing.privateKey },
      thisUpdate: new Date(revokedAt.getTime() + DAY),
      nextUpdate: new Date(revokedAt.getTime() + 8 * DAY),
      crlNumber: 7,
      entries: [{ serialNumber: sealSerial, revocationDate: revokedAt, reason: 'keyCompromise' }],
    });
  });

  it('is a v2 CRL that openssl parses with its number, entry and reason', () => {
    const printed = runOpenssl(['crl', '-inform', 'DER', '-in', 'c.crl', '-text', '-noout'], {
      'c.crl': crl,
    });
    const verified = runOpenssl(
      ['crl', '-inform', 'DER', '-in', 'c.crl', '-CAfile', 'issuing.pem', '-noout'],
      { 'c.crl': crl, 'issuing.pem': toPem(pki.issuing.certificate) },
    );

    expect(printed.stdout).toContain('Version 2 (0x1)');
    expect(printed.stdout).toContain('X509v3 CRL Number');
    expect(printed.stdout).toContain(sealSerial.toUpperCase());
    expect(printed.stdout).toContain('Key Compromise');
    expect(verified.stderr).toContain('verify OK');
  });

  it('parses back to its number, dates and entries', () => {
    const parsed = parseCrl(crl);

    expect(parsed.crlNumber).toBe(7n);
    expect(parsed.entries).toEqual([
      { serialNumber: sealSerial, revocationDate: revokedAt, reason: 'keyCompromise' },
    ]);
  });

  it('reports a revoked certificate as revoked after the revocation date', async () => {
    const status = await checkRevocation(pki.seal.certificate, [crl], {
      at: new Date(revokedAt.getTime() + DAY),
      issuerCertificate: pki.issuing.certificate,
    });

    expect(status).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
  });

  it('reports the same certificate as revoked only later when asked about an earlier time', async () => {
    const status = await checkRevocation(pki.seal.certificate, [crl], {
      at: now,
      issuerCertificate: pki.issuing.certificate,
    });

    expect(status.status).toBe('revokedAfter');
    expect(status.revocationDate).toEqual(revokedAt);
  });

  it('reports a certificate the CRL does not list as good', async () => {
    const status = await checkRevocation(pki.tsa.certificate, [crl], {
      at: now,
      issuerCertificate: pki.issuing.certificate,
    });

    expect(status.status).toBe('good');
  });

  it('ignores a CRL whose signature does not verify with the issuer key', async () => {
    const status = await checkRevocation(pki.seal.certificate, [crl], {
      at: now,
      issuerCertificate: pki.root.certificate,
    });

    expect(status.status).toBe('unknown');
  });
});
