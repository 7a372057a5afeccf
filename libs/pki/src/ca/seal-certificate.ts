import { KeyObject } from 'node:crypto';

import { parsedCertificate, type ParsedCertificate } from '../cache/parsed-certificates.js';
import type { CertificateDer } from '../der.js';
import { Oid } from '../oids.js';
import { x509 } from '../x509.js';
import {
  issueCertificate,
  type CertificateIssuer,
  type ValidityPeriod,
} from './issue-certificate.js';

const { KeyUsageFlags } = x509;

// ETSI EN 319 412-1 section 5.1.4: legal-person identifier = type "NTR" + country + "-" + id.
const USCC_PREFIX = 'NTRCN-';

export interface IssueSealCertificateParams extends ValidityPeriod {
  organisation: {
    /** The organisation's registered name, often Chinese; written as UTF8String. */
    name: string;
    /** Unified social credit code (GB 32100, 18 characters). */
    uscc: string;
  };
  seal: {
    /** The seal's name as engraved, e.g. `某某有限公司合同专用章`. */
    name: string;
    /** The seal's registry code. */
    code: string;
  };
  publicKey: KeyObject;
  issuer: CertificateIssuer;
  /** RFC 5280 4.2.1.13: where this certificate's revocation is published. */
  crlDistributionPoint: string;
  /** RFC 5280 4.2.2.1: where the issuing CA certificate can be fetched. */
  caIssuersUrl?: string;
  ocspUrl?: string;
}

/**
 * Issues an organisation's seal signing certificate.
 *
 * Subject layout (the platform's choice, read back by `readSealSubject`):
 * `C=CN, O=<organisation name>, organizationIdentifier=NTRCN-<USCC>, serialNumber=<seal code>,
 * CN=<seal name>`. keyUsage is digitalSignature + nonRepudiation, critical (ETSI EN 319 412-2
 * 4.3.2 for seals).
 *
 * @example
 * const der = await issueSealCertificate({ organisation: { name: '某某有限公司', uscc },
 *   seal: { name: '某某有限公司公章', code: '3501000000001' }, publicKey, issuer,
 *   crlDistributionPoint: 'https://seal.example.gov.cn/crl/issuing.crl', notBefore, notAfter });
 */
export async function issueSealCertificate(
  params: IssueSealCertificateParams,
): Promise<CertificateDer> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation,
      true,
    ),
    new x509.CRLDistributionPointsExtension([params.crlDistributionPoint]),
  ];
  if (params.caIssuersUrl || params.ocspUrl) {
    extensions.push(
      new x509.AuthorityInfoAccessExtension({
        caIssuers: params.caIssuersUrl ? [params.caIssuersUrl] : undefined,
        ocsp: params.ocspUrl ? [params.ocspUrl] : undefined,
      }),
    );
  }

  return issueCertificate({
    ...params,
    subject: {
      country: 'CN',
      organisation: params.organisation.name,
      organisationIdentifier: USCC_PREFIX + params.organisation.uscc,
      serialNumber: params.seal.code,
      commonName: params.seal.name,
    },
    extensions,
  });
}

/** The fields of a certificate subject that matter for seals, decoded. */
export interface SealSubject {
  commonName?: string;
  country?: string;
  organisationName?: string;
  organisationalUnit?: string;
  /** The unified social credit code, without the `NTRCN-` prefix. */
  uscc?: string;
  /** The subject serialNumber attribute; for platform seal certificates the seal code. */
  sealCode?: string;
  /** The full subject as an RFC 4514 string. */
  distinguishedName: string;
}

/**
 * Decodes a certificate subject (any issuer's: fields absent from it are left undefined).
 *
 * @example
 * readSealSubject(der).organisationName; // '某某有限公司'
 */
export function readSealSubject(certificate: CertificateDer): SealSubject {
  // Decoded once per distinct certificate; each caller gets its own copy.
  return { ...parsedCertificate(certificate).derived('sealSubject', (c) => decodeSubject(c)) };
}

function decodeSubject(certificate: ParsedCertificate): SealSubject {
  const name = certificate.peculiar.subjectName;
  const first = (oid: string): string | undefined => name.getField(oid)[0];
  const orgId = first(Oid.organizationIdentifier);
  return {
    commonName: first(Oid.commonName),
    country: first(Oid.countryName),
    organisationName: first(Oid.organizationName),
    organisationalUnit: first(Oid.organizationalUnitName),
    uscc: orgId?.startsWith(USCC_PREFIX) ? orgId.slice(USCC_PREFIX.length) : orgId,
    sealCode: first(Oid.serialNumber),
    distinguishedName: name.toString(),
  };
}
