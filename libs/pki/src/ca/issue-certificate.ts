import { createPublicKey, KeyObject } from 'node:crypto';

import { parseCertificate, toBuffer, type CertificateDer } from '../der.js';
import type { SigningKey } from '../key-store/key-store.js';
import { x509Signing } from '../key-store/x509-signing.js';
import { x509 } from '../x509.js';
import { toJsonName, type DistinguishedName } from './distinguished-name.js';
import { randomSerialNumber } from './serial-number.js';

/** A CA that signs: its certificate and its key. */
export interface CertificateIssuer {
  certificate: CertificateDer;
  key: SigningKey;
}

export interface ValidityPeriod {
  notBefore: Date;
  notAfter: Date;
}

export interface IssueCertificateParams extends ValidityPeriod {
  subject: DistinguishedName;
  /** The subject's public key (or its private key: the public half is taken). */
  publicKey: KeyObject;
  /** Omitted for a self-signed certificate: then `selfSignKey` signs. */
  issuer?: CertificateIssuer;
  selfSignKey?: SigningKey;
  extensions: x509.Extension[];
  serialNumber?: string;
}

/**
 * Issues one X.509 v3 certificate with SKI and AKI (RFC 5280 sections 4.2.1.1-2) added to the
 * given extensions. Returns DER.
 */
export async function issueCertificate(params: IssueCertificateParams): Promise<CertificateDer> {
  const publicKey =
    params.publicKey.type === 'public' ? params.publicKey : createPublicKey(params.publicKey);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const signer = params.issuer?.key ?? params.selfSignKey;
  if (!signer) throw new Error('issueCertificate needs an issuer or a self-sign key');

  // The key signs through its store (KeyStore.sign): it never leaves it, even for a CA.
  const signing = await x509Signing(
    signer,
    params.issuer ? parseCertificate(params.issuer.certificate).publicKey : publicKey,
  );
  const issuerName = params.issuer
    ? new x509.X509Certificate(params.issuer.certificate).subjectName
    : toJsonName(params.subject);
  const authorityKey = params.issuer ? await authorityKeyIdentifier(params.issuer) : spki;

  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: params.serialNumber ?? randomSerialNumber(),
      subject: new x509.Name(toJsonName(params.subject)),
      issuer: issuerName instanceof x509.Name ? issuerName : new x509.Name(issuerName),
      notBefore: params.notBefore,
      notAfter: params.notAfter,
      publicKey: spki,
      signingKey: signing.signingKey,
      signingAlgorithm: signing.signingAlgorithm,
      extensions: [
        ...params.extensions,
        await x509.SubjectKeyIdentifierExtension.create(spki),
        typeof authorityKey === 'string'
          ? new x509.AuthorityKeyIdentifierExtension(authorityKey)
          : await x509.AuthorityKeyIdentifierExtension.create(authorityKey),
      ],
    },
    signing.crypto,
  );
  return toBuffer(certificate.rawData);
}

/** The issuer's own SKI when it has one (RFC 5280 4.2.1.1: AKI keyIdentifier = issuer SKI). */
async function authorityKeyIdentifier(issuer: CertificateIssuer): Promise<string | Buffer> {
  const cert = new x509.X509Certificate(issuer.certificate);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return ski.keyId;
  return parseCertificate(issuer.certificate).publicKey.export({ format: 'der', type: 'spki' });
}
