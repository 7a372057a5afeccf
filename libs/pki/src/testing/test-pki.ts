import { KeyObject } from 'node:crypto';

import { createIssuingCa, createRootCa } from '../ca/certificate-authority.js';
import { issueSealCertificate } from '../ca/seal-certificate.js';
import { issueTsaCertificate } from '../ca/tsa-certificate.js';
import type { CertificateDer } from '../der.js';
import { generateKeyPair, type KeyAlgorithm, type KeyPair } from '../key-store/key-algorithm.js';

/** A certificate with its key pair, as tests need them. */
export interface TestCredential {
  certificate: CertificateDer;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface TestPki {
  now: Date;
  root: TestCredential;
  issuing: TestCredential;
  seal: TestCredential & {
    organisation: { name: string; uscc: string };
    sealInfo: { name: string; code: string };
  };
  tsa: TestCredential;
  crlDistributionPoint: string;
  /** Issuing CA then root, the order a CMS certificate set or TSA chain lists them. */
  chain: CertificateDer[];
}

export interface TestPkiOptions {
  /** The frozen "now" around which every validity period is laid out. */
  now: Date;
  /** Key type of the seal (and TSA) key; CAs are always RSA-2048. */
  algorithm?: KeyAlgorithm;
  organisationName?: string;
  /** Generate new keys instead of reusing the cached ones (a second, unrelated PKI). */
  freshKeys?: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
// Key generation is the slow part and keys do not depend on time: reuse them across tests.
const keyCache = new Map<string, Promise<KeyPair>>();

function cachedKeyPair(name: string, algorithm: KeyAlgorithm, fresh = false): Promise<KeyPair> {
  if (fresh) return generateKeyPair(algorithm);
  const id = `${name}:${algorithm}`;
  let pair = keyCache.get(id);
  if (!pair) {
    pair = generateKeyPair(algorithm);
    keyCache.set(id, pair);
  }
  return pair;
}

/**
 * A complete test PKI around a frozen time: root CA (10 years), issuing CA (5 years), a seal
 * certificate for a Chinese organisation (valid from a day before `now` for 2 years) and a
 * TSA certificate. Test code only.
 *
 * @example
 * const pki = await createTestPki({ now: new Date('2025-03-01T00:00:00Z') });
 * const cms = await createCadesSignature({ digest, key: pki.seal.privateKey,
 *   certificate: pki.seal.certificate, chain: pki.chain });
 */
export async function createTestPki(options: TestPkiOptions): Promise<TestPki> {
  const now = options.now;
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const crlDistributionPoint = 'http://pki.test.invalid/crl/issuing.crl';
  const [rootKeys, issuingKeys, sealKeys, tsaKeys] = await Promise.all([
    cachedKeyPair('root', 'RSA-2048', options.freshKeys),
    cachedKeyPair('issuing', 'RSA-2048', options.freshKeys),
    cachedKeyPair('seal', options.algorithm ?? 'RSA-2048', options.freshKeys),
    cachedKeyPair('tsa', options.algorithm ?? 'RSA-2048', options.freshKeys),
  ]);

  const rootCertificate = await createRootCa({
    subject: { country: 'CN', organisation: '测试政务服务平台', commonName: '测试根CA' },
    key: rootKeys.privateKey,
    publicKey: rootKeys.publicKey,
    notBefore: at(-365),
    notAfter: at(3650),
  });
  const root = { certificate: rootCertificate, ...rootKeys };

  const issuingCertificate = await createIssuingCa({
    subject: { country: 'CN', organisation: '测试政务服务平台', commonName: '测试电子印章CA' },
    publicKey: issuingKeys.publicKey,
    issuer: { certificate: root.certificate, key: root.privateKey },
    notBefore: at(-365),
    notAfter: at(1825),
  });
  const issuing = { certificate: issuingCertificate, ...issuingKeys };
  const issuer = { certificate: issuing.certificate, key: issuing.privateKey };

  const organisation = {
    name: options.organisationName ?? '福州市某某科技有限公司',
    uscc: '91350100MA2XXXXX0X',
  };
  const sealInfo = { name: `${organisation.name}合同专用章`, code: '3501000012345' };
  const sealCertificate = await issueSealCertificate({
    organisation,
    seal: sealInfo,
    publicKey: sealKeys.publicKey,
    issuer,
    crlDistributionPoint,
    notBefore: at(-1),
    notAfter: at(730),
  });

  const tsaCertificate = await issueTsaCertificate({
    subject: { country: 'CN', organisation: '测试政务服务平台', commonName: '测试时间戳服务' },
    publicKey: tsaKeys.publicKey,
    issuer,
    notBefore: at(-365),
    notAfter: at(1825),
  });

  return {
    now,
    root,
    issuing,
    seal: { certificate: sealCertificate, ...sealKeys, organisation, sealInfo },
    tsa: { certificate: tsaCertificate, ...tsaKeys },
    crlDistributionPoint,
    chain: [issuing.certificate, root.certificate],
  };
}
