import { createHash, randomBytes } from 'node:crypto';

import { toPem } from '../der.js';
import { runOpenssl } from '../testing/openssl.js';
import { createTestPki, type TestPki } from '../testing/test-pki.js';
import { createCadesSignature } from './cades-signature.js';
import { EncryptedKeyStore } from '../key-store/encrypted-key-store.js';
import { InMemoryKeyRecordStore } from '../key-store/key-record-store.js';
import { localTimestamper } from '../tsp/local-timestamper.js';

const now = new Date('2025-03-01T08:00:00Z');
const attime = String(now.getTime() / 1000);

describe('createCadesSignature', () => {
  let pki: TestPki;
  const content = Buffer.from('%PDF-1.7 the signed byte ranges of a document\n');
  const digest = createHash('sha256').update(content).digest();

  beforeAll(async () => {
    pki = await createTestPki({ now });
  });

  it('makes a detached signature that openssl cms verifies against the content', async () => {
    const cms = await createCadesSignature({
      digest,
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      chain: [pki.issuing.certificate],
    });

    const result = runOpenssl(
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        'sig.p7s',
        '-content',
        'data.bin',
        '-CAfile',
        'root.pem',
        '-attime',
        attime,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { 'sig.p7s': cms, 'data.bin': content, 'root.pem': toPem(pki.root.certificate) },
    );

    expect(result.stderr).toContain('Verification successful');
  });

  it('carries signing-certificate-v2 and no signing-time in its signed attributes', async () => {
    const cms = await createCadesSignature({
      digest,
      key: pki.seal.privateKey,
      certificate: pki.seal.certificate,
      chain: [pki.issuing.certificate],
    });

    const printed = runOpenssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 's.p7s'], {
      's.p7s': cms,
    }).stdout;

    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).toContain('contentType');
    expect(printed).toContain('messageDigest');
    expect(printed).not.toContain('signingTime');
    expect(printed).toContain('eContent: <ABSENT>');
  });

  it('adds a signature time-stamp and signs through a key store', async () => {
    const keys = new EncryptedKeyStore({
      masterSecret: 'a-test-master-secret-of-at-least-32-bytes!',
      records: new InMemoryKeyRecordStore(),
    });
    const keyId = await keys.importPrivateKey('seal', pki.seal.privateKey);
    const cms = await createCadesSignature({
      digest,
      key: { keyStore: keys, keyId },
      certificate: pki.seal.certificate,
      chain: [pki.issuing.certificate],
      timestamp: localTimestamper(
        { key: pki.tsa.privateKey, certificate: pki.tsa.certificate, policyOid: '1.2.3.4' },
        () => now,
      ),
    });

    const files = { 'sig.p7s': cms, 'data.bin': content, 'root.pem': toPem(pki.root.certificate) };
    const verified = runOpenssl(
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        'sig.p7s',
        '-content',
        'data.bin',
        '-CAfile',
        'root.pem',
        '-attime',
        attime,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      files,
    );
    const printed = runOpenssl(
      ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.p7s'],
      files,
    );

    expect(verified.stderr).toContain('Verification successful');
    expect(printed.stdout).toContain('id-smime-aa-timeStampToken');
  });

  it('signs with ECDSA P-256 keys as well', async () => {
    const ec = await createTestPki({ now, algorithm: 'EC-P256' });
    const cms = await createCadesSignature({
      digest,
      key: ec.seal.privateKey,
      certificate: ec.seal.certificate,
      chain: [ec.issuing.certificate],
    });

    const result = runOpenssl(
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        'sig.p7s',
        '-content',
        'data.bin',
        '-CAfile',
        'root.pem',
        '-attime',
        attime,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { 'sig.p7s': cms, 'data.bin': content, 'root.pem': toPem(ec.root.certificate) },
    );

    expect(result.stderr).toContain('Verification successful');
  });

  it('costs little more than one RSA-2048 signature with a cached key', async () => {
    const sign = () =>
      createCadesSignature({
        digest: createHash('sha256').update(randomBytes(32)).digest(),
        key: pki.seal.privateKey,
        certificate: pki.seal.certificate,
        chain: pki.chain,
      });
    await sign();

    const runs = 50;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await sign();
    const perSignature = (performance.now() - started) / runs;

    console.log(`createCadesSignature: ${perSignature.toFixed(2)} ms`);
    expect(perSignature).toBeLessThan(20);
  });
});
