import {
  derContext,
  derSequence,
  readChildren,
  readTlv,
  slice,
  type Tlv,
} from '../asn1/der-writer.js';
import { derOid } from '../asn1/der-writer.js';
import { Oid } from '../oids.js';

const SIGNED_DATA_OID = derOid(Oid.signedData);

/**
 * Splits `certificates [0] IMPLICIT CertificateSet` (RFC 5652 5.1) out of a DER
 * ContentInfo(SignedData) before the rest goes to asn1js: a generic BER parse of the embedded
 * certificates is most of the cost of verifying a signature, and their bytes are all that is
 * needed of them (each is parsed once per distinct DER, see `parsedCertificate`). Returns the
 * ContentInfo without the set (every other field byte for byte, so signed attributes and
 * eContent are as received) and the X.509 certificates of the set (CertificateChoices
 * `certificate`; attribute and other certificates skipped). Returns undefined for anything
 * this DER-only reader does not handle (indefinite lengths, high tag numbers, another content
 * type): the caller then parses the whole structure with asn1js as it always did.
 */
export function splitCertificateSet(
  der: Uint8Array,
): { withoutCertificates: Buffer; certificates: Buffer[] } | undefined {
  try {
    const contentInfo = readTlv(der);
    if (contentInfo.tag !== 0x30) return undefined;
    const [type, explicit, ...rest] = children(der, contentInfo);
    if (type?.tag !== 0x06 || explicit?.tag !== 0xa0 || rest.length) return undefined;
    if (!slice(der, type).equals(SIGNED_DATA_OID)) return undefined;
    const [signedData, ...extra] = children(der, explicit);
    if (signedData?.tag !== 0x30 || extra.length) return undefined;

    const fields = children(der, signedData);
    const index = fields.findIndex((f, i) => i >= 3 && f.tag === 0xa0);
    if (index === -1) return undefined;
    const certificates = children(der, fields[index]!)
      .filter((c) => c.tag === 0x30)
      .map((c) => Buffer.from(slice(der, c)));
    const kept = fields.filter((_, i) => i !== index).map((f) => slice(der, f));
    return {
      withoutCertificates: derSequence(slice(der, type), derContext(0, derSequence(...kept))),
      certificates,
    };
  } catch {
    return undefined;
  }
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const found = readChildren(der, parent);
  for (const child of found) {
    // Only low tag numbers and definite lengths (readTlv rejects indefinite ones).
    if ((child.tag & 0x1f) === 0x1f) throw new RangeError('high tag number');
  }
  return found;
}
