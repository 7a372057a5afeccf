import * as asn1js from 'asn1js';

import { toBuffer } from '../der.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import { Oid } from '../oids.js';
import { x509 } from '../x509.js';
import type { RevocationReason, RevokedEntry } from './issue-crl.js';

export interface ParsedCrl {
  /** Issuer name, RFC 4514 string. */
  issuer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  entries: RevokedEntry[];
  /** The parsed object, for signature verification. */
  crl: x509.X509Crl;
}

/** Parses a DER (or PEM) CRL; throws PkiCrlMalformed. */
export function parseCrl(der: Uint8Array | string): ParsedCrl {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(typeof der === 'string' ? der : toBuffer(der));
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiCrlMalformed, 'not a CRL', { cause });
  }

  const number = crl.getExtension(Oid.crlNumber);
  const parsedNumber = number ? asn1js.fromBER(number.value).result : undefined;
  return {
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    crlNumber: parsedNumber instanceof asn1js.Integer ? parsedNumber.toBigInt() : undefined,
    entries: crl.entries.map((entry) => ({
      serialNumber: normaliseSerial(entry.serialNumber),
      revocationDate: entry.revocationDate,
      reason:
        entry.reason === undefined
          ? undefined
          : (x509.X509CrlReason[entry.reason] as RevocationReason),
    })),
    crl,
  };
}

/** Hex serial without leading zero bytes, lower case, so both sides compare equal. */
export function normaliseSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=[0-9a-f]{2})/, '');
}
