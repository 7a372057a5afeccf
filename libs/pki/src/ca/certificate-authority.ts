import { KeyObject } from 'node:crypto';

import type { CertificateDer } from '../der.js';
import type { SigningKey } from '../key-store/key-store.js';
import { x509 } from '../x509.js';
import type { DistinguishedName } from './distinguished-name.js';
import {
  issueCertificate,
  type CertificateIssuer,
  type ValidityPeriod,
} from './issue-certificate.js';

const { KeyUsageFlags } = x509;

export interface CreateRootCaParams extends ValidityPeriod {
  subject: DistinguishedName;
  /** The root's key pair: its private key signs, its public half is certified. */
  key: SigningKey;
  publicKey: KeyObject;
}

/**
 * A self-signed root CA certificate (RFC 5280 4.2.1.9: basicConstraints cA, critical;
 * 4.2.1.3: keyCertSign + cRLSign, critical).
 *
 * @example
 * const root = await createRootCa({ subject: { country: 'CN', commonName: 'Root' },
 *   key: privateKey, publicKey, notBefore, notAfter });
 */
export async function createRootCa(params: CreateRootCaParams): Promise<CertificateDer> {
  return issueCertificate({
    ...params,
    selfSignKey: params.key,
    extensions: caExtensions(undefined),
  });
}

export interface CreateIssuingCaParams extends ValidityPeriod {
  subject: DistinguishedName;
  publicKey: KeyObject;
  issuer: CertificateIssuer;
  /** Where relying parties fetch the issuer's CRL for this CA certificate. */
  crlDistributionPoint?: string;
}

/** An issuing (intermediate) CA certificate signed by the root; it may issue end entities only. */
export async function createIssuingCa(params: CreateIssuingCaParams): Promise<CertificateDer> {
  const extensions = caExtensions(0);
  if (params.crlDistributionPoint) {
    extensions.push(new x509.CRLDistributionPointsExtension([params.crlDistributionPoint]));
  }
  return issueCertificate({ ...params, extensions });
}

function caExtensions(pathLength: number | undefined): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
  ];
}
