import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/** A throwaway two-level PKI for tests: a root CA and a signing certificate under it. */
export interface TestPki {
  readonly rootPem: string;
  readonly signerPem: string;
  readonly signerKeyPem: string;
  readonly root: forge.pki.Certificate;
  readonly signer: forge.pki.Certificate;
  readonly signerKey: forge.pki.PrivateKey;
}

function rsaKey(): { pub: forge.pki.PublicKey; priv: forge.pki.PrivateKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { priv, pub: forge.pki.setRsaPublicKey(priv.n, priv.e), pem };
}

/**
 * @example
 *   const pki = makeTestPki('E-seal test');
 *   const signer = makeForgeCmsSigner(pki);
 */
export function makeTestPki(name = 'PDF test'): TestPki {
  const rootKey = rsaKey();
  const leafKey = rsaKey();
  const now = Date.now();

  const root = forge.pki.createCertificate();
  root.publicKey = rootKey.pub;
  root.serialNumber = '01';
  root.validity.notBefore = new Date(now - 24 * 3600_000);
  root.validity.notAfter = new Date(now + 365 * 24 * 3600_000);
  const rootName = [
    { name: 'commonName', value: `${name} Root CA` },
    { name: 'countryName', value: 'CN' },
  ];
  root.setSubject(rootName);
  root.setIssuer(rootName);
  root.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  root.sign(rootKey.priv as forge.pki.rsa.PrivateKey, forge.md.sha256.create());

  const leaf = forge.pki.createCertificate();
  leaf.publicKey = leafKey.pub;
  leaf.serialNumber = '02';
  leaf.validity.notBefore = new Date(now - 3600_000);
  leaf.validity.notAfter = new Date(now + 30 * 24 * 3600_000);
  leaf.setSubject([
    { name: 'commonName', value: `${name} Signer` },
    { name: 'countryName', value: 'CN' },
  ]);
  leaf.setIssuer(rootName);
  leaf.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: root.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  leaf.sign(rootKey.priv as forge.pki.rsa.PrivateKey, forge.md.sha256.create());

  return {
    rootPem: forge.pki.certificateToPem(root),
    signerPem: forge.pki.certificateToPem(leaf),
    signerKeyPem: leafKey.pem,
    root,
    signer: leaf,
    signerKey: leafKey.priv,
  };
}
