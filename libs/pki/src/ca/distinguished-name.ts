import type { JsonNameParams } from '@peculiar/x509';

import { Oid } from '../oids.js';

/**
 * A subject or issuer name. Text attributes are written as UTF8String (RFC 5280 section
 * 4.1.2.6), so Chinese names survive; country and serialNumber are PrintableString as X.520
 * requires.
 */
export interface DistinguishedName {
  /** ISO 3166 two-letter code, e.g. `CN`. */
  country?: string;
  organisation?: string;
  organisationalUnit?: string;
  /** X.520 organizationIdentifier (2.5.4.97), e.g. `NTRCN-<unified social credit code>`. */
  organisationIdentifier?: string;
  /** X.520 serialNumber (2.5.4.5) of the subject (not of the certificate). */
  serialNumber?: string;
  commonName: string;
}

/** The name in @peculiar/x509's JSON form, in the usual big-endian order (C first, CN last). */
export function toJsonName(name: DistinguishedName): JsonNameParams {
  const parts: JsonNameParams = [];
  if (name.country) parts.push({ [Oid.countryName]: [{ printableString: name.country }] });
  if (name.organisation)
    parts.push({ [Oid.organizationName]: [{ utf8String: name.organisation }] });
  if (name.organisationalUnit) {
    parts.push({ [Oid.organizationalUnitName]: [{ utf8String: name.organisationalUnit }] });
  }
  if (name.organisationIdentifier) {
    parts.push({ [Oid.organizationIdentifier]: [{ utf8String: name.organisationIdentifier }] });
  }
  if (name.serialNumber)
    parts.push({ [Oid.serialNumber]: [{ printableString: name.serialNumber }] });
  parts.push({ [Oid.commonName]: [{ utf8String: name.commonName }] });
  return parts;
}
