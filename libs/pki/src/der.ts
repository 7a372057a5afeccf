import { X509Certificate } from 'node:crypto';

import { PkiError, PkiErrorCode } from './errors.js';

/** DER bytes of one certificate; every API of this library takes and returns certificates so. */
export type CertificateDer = Buffer;

/**
 * Wraps DER in PEM armour (RFC 7468 section 2: 64-column base64 lines).
 *
 * @example
 * writeFileSync('root.pem', toPem(rootDer));
 */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Reads the first PEM block with the given label (any label when omitted) back to DER. */
export function fromPem(pem: string, label?: string): Buffer {
  const wanted = label ? label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[A-Z0-9 ]+';
  const match = new RegExp(`-----BEGIN (${wanted})-----([\\s\\S]*?)-----END \\1-----`).exec(pem);
  if (!match?.[2]) {
    throw new PkiError(PkiErrorCode.PkiInvalidArgument, `no PEM block ${label ?? ''} found`);
  }
  return Buffer.from(match[2].replace(/\s+/g, ''), 'base64');
}

/** All certificates of a PEM bundle, in order. */
export function certificatesFromPem(pem: string): CertificateDer[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  return (blocks ?? []).map((block) => fromPem(block, 'CERTIFICATE'));
}

/** Parses a certificate with node:crypto, turning a parse failure into a PkiError. */
export function parseCertificate(der: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (cause) {
    throw new PkiError(PkiErrorCode.PkiCertificateMalformed, 'certificate is not valid DER', {
      cause,
    });
  }
}

/** Copies any BufferSource view into a Node Buffer without copying the bytes twice. */
export function toBuffer(data: ArrayBuffer | ArrayBufferView): Buffer {
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
