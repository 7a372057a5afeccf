import { sign as cryptoSign, type KeyObject } from 'node:crypto';

import { createIssuingCa, createRootCa } from '../ca/certificate-authority.js';
import { issueCrl } from '../crl/issue-crl.js';
import { x509 } from '../x509.js';
import type { HashAlgorithm } from '../algorithms.js';
import { generateKeyPair, type KeyAlgorithm } from './key-algorithm.js';
import type { KeyStore } from './key-store.js';

/**
 * A store that, like an HSM behind PKCS#11, can generate keys and sign but never hands out a
 * private key: what certificate and CRL issuance must make do with.
 */
class SignOnlyKeyStore implements KeyStore {
  private readonly keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  signatures = 0;

  async generate(label: string, algorithm: KeyAlgorithm = 'RSA-2048'): Promise<string> {
    this.keys.set(label, await generateKeyPair(algorithm));
    return label;
  }
  importPrivateKey(): Promise<string> {
    return Promise.reject(new Error('no import in this store'));
  }
  async getPublicKey(keyId: string): Promise<KeyObject> {
    return this.keys.get(keyId)!.publicKey;
  }
  async sign(keyId: string, data: Uint8Array, hash: HashAlgorithm = 'sha256'): Promise<Buffer> {
    this.signatures++;
    return cryptoSign(hash, data, this.keys.get(keyId)!.privateKey);
  }
}

const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');

describe('x509Signing: certificates and CRLs signed through KeyStore.sign', () => {
  it.each<KeyAlgorithm>(['RSA-2048', 'EC-P256'])(
    'issues a %s root and issuing CA and a CRL that verify, the keys never leaving the store',
    async (algorithm) => {
      const store = new SignOnlyKeyStore();
      const rootKey = await store.generate('root', algorithm);
      const issuingKey = await store.generate('issuing', algorithm);

      const root = await createRootCa({
        subject: { country: 'CN', commonName: `Test Root ${algorithm}` },
        key: { keyStore: store, keyId: rootKey },
        publicKey: await store.getPublicKey(rootKey),
        notBefore,
        notAfter,
      });
      const issuing = await createIssuingCa({
        subject: { country: 'CN', commonName: `Test Issuing ${algorithm}` },
        publicKey: await store.getPublicKey(issuingKey),
        issuer: { certificate: root, key: { keyStore: store, keyId: rootKey } },
        notBefore,
        notAfter,
      });
      const crl = await issueCrl({
        issuer: { certificate: issuing, key: { keyStore: store, keyId: issuingKey } },
        thisUpdate: notBefore,
        nextUpdate: notAfter,
        crlNumber: 1,
        entries: [{ serialNumber: '0abc', revocationDate: notBefore, reason: 'keyCompromise' }],
      });

      const rootCert = new x509.X509Certificate(root);
      const issuingCert = new x509.X509Certificate(issuing);
      expect(store.signatures).toBe(3);
      expect(await rootCert.verify({ publicKey: rootCert.publicKey, signatureOnly: true })).toBe(
        true,
      );
      expect(await issuingCert.verify({ publicKey: rootCert.publicKey, signatureOnly: true })).toBe(
        true,
      );
      expect(await new x509.X509Crl(crl).verify({ publicKey: issuingCert.publicKey })).toBe(true);
    },
  );
});
