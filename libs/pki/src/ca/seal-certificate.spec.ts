import { X509Certificate } from 'node:crypto';

import { toPem } from '../der.js';
import { createTestPki, type TestPki } from '../testing/test-pki.js';
import { runOpenssl } from '../testing/openssl.js';
import { x509 } from '../x509.js';
import { readSealSubject } from './seal-certificate.js';

const now = new Date('2025-03-01T08:00:00Z');

describe('seal certificate', () => {
  let pki: TestPki;

  beforeAll(async () => {
    pki = await createTestPki({ now });
  });

  it('round-trips the Chinese organisation name, the USCC and the seal code', () => {
    const subject = readSealSubject(pki.seal.certificate);

    expect(subject.organisationName).toBe('福州市某某科技有限公司');
    expect(subject.uscc).toBe('91350100MA2XXXXX0X');
    expect(subject.sealCode).toBe('3501000012345');
    expect(subject.commonName).toBe('福州市某某科技有限公司合同专用章');
    expect(subject.country).toBe('CN');
  });

  it('has a signature that verifies with @peculiar/x509 and node:crypto', async () => {
    const leaf = new x509.X509Certificate(pki.seal.certificate);
    const issuing = new x509.X509Certificate(pki.issuing.certificate);

    await expect(leaf.verify({ publicKey: issuing, date: now })).resolves.toBe(true);
    const issuingPublicKey = new X509Certificate(pki.issuing.certificate).publicKey;
    expect(new X509Certificate(pki.seal.certificate).verify(issuingPublicKey)).toBe(true);
  });

  it('chains to the root under openssl verify at the frozen time', () => {
    const result = runOpenssl(
      [
        'verify',
        '-attime',
        String(now.getTime() / 1000),
        '-CAfile',
        'root.pem',
        '-untrusted',
        'issuing.pem',
        'leaf.pem',
      ],
      {
        'root.pem': toPem(pki.root.certificate),
        'issuing.pem': toPem(pki.issuing.certificate),
        'leaf.pem': toPem(pki.seal.certificate),
      },
    );

    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('leaf.pem: OK');
  });

  it('carries critical digitalSignature + nonRepudiation and the CRL distribution point', () => {
    const cert = new x509.X509Certificate(pki.seal.certificate);
    const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
    const crlDp = cert.getExtension(x509.CRLDistributionPointsExtension);

    expect(keyUsage?.critical).toBe(true);
    expect(keyUsage?.usages).toBe(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
    );
    expect(JSON.stringify(crlDp?.distributionPoints)).toContain('pki.test.invalid');
  });

  it('has a positive 16-byte serial number', () => {
    const serial = new x509.X509Certificate(pki.seal.certificate).serialNumber;

    expect(serial).toHaveLength(32);
    expect(parseInt(serial.slice(0, 2), 16)).toBeLessThan(0x80);
  });
});

describe('TSA certificate', () => {
  it('has id-kp-timeStamping as its only, critical, extended key usage', async () => {
    const pki = await createTestPki({ now });
    const eku = new x509.X509Certificate(pki.tsa.certificate).getExtension(
      x509.ExtendedKeyUsageExtension,
    );

    expect(eku?.critical).toBe(true);
    expect(eku?.usages).toEqual(['1.3.6.1.5.5.7.3.8']);
  });
});
