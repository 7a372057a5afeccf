import { KeyObject } from 'node:crypto';

import type { CertificateDer } from '../der.js';
import { x509 } from '../x509.js';
import type { DistinguishedName } from './distinguished-name.js';
import {
  issueCertificate,
  type CertificateIssuer,
  type ValidityPeriod,
} from './issue-certificate.js';

const { KeyUsageFlags } = x509;

export interface IssueTsaCertificateParams extends ValidityPeriod {
  subject: DistinguishedName;
  publicKey: KeyObject;
  issuer: CertificateIssuer;
  crlDistributionPoint?: string;
}

/**
 * Issues a time-stamping authority certificate. RFC 3161 section 2.3: extendedKeyUsage with
 * id-kp-timeStamping as its only purpose, marked critical.
 */
export async function issueTsaCertificate(
  params: IssueTsaCertificateParams,
): Promise<CertificateDer> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true),
  ];
  if (params.crlDistributionPoint) {
    extensions.push(new x509.CRLDistributionPointsExtension([params.crlDistributionPoint]));
  }
  return issueCertificate({ ...params, extensions });
}
