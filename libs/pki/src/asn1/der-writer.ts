// A minimal DER writer and TLV reader (X.690 section 8 and 10) for the signing hot path,
// where asn1js' object model costs milliseconds per certificate. It only assembles values
// whose structure is fixed by the caller and embeds already-encoded DER as it is; parsing of
// untrusted input stays with asn1js/pkijs.

/** One tag-length-value element located in a buffer. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the element. */
  end: number;
}

/** Reads the element at `offset` (single-byte tags, definite lengths: DER only). */
export function readTlv(der: Uint8Array, offset = 0): Tlv {
  const tag = der[offset];
  let length = der[offset + 1];
  if (tag === undefined || length === undefined) throw new RangeError('truncated DER');
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[contentStart + i] ?? 0);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > der.length) throw new RangeError('truncated DER');
  return { tag, start: offset, contentStart, end };
}

/** The children of a constructed element. */
export function readChildren(der: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.contentStart; offset < parent.end;) {
    const child = readTlv(der, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function slice(der: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + tlv.start, tlv.end - tlv.start);
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export const derSequence = (...contents: Uint8Array[]): Buffer => tlv(0x30, ...contents);
export const derOctetString = (value: Uint8Array): Buffer => tlv(0x04, value);
export const derNull = (): Buffer => Buffer.from([0x05, 0x00]);
/** [n] constructed, context-specific: an IMPLICIT SET/SEQUENCE or an EXPLICIT wrapper. */
export const derContext = (n: number, ...contents: Uint8Array[]): Buffer =>
  tlv(0xa0 | n, ...contents);

/** X.690 11.6: a DER SET OF orders its components by their encodings. */
export function derSetOf(...components: Buffer[]): Buffer {
  return tlv(0x31, ...[...components].sort(Buffer.compare));
}

/** A small non-negative INTEGER (versions). */
export function derSmallInteger(value: number): Buffer {
  return value < 0x80 ? tlv(0x02, Buffer.from([value])) : tlv(0x02, Buffer.from([0, value]));
}

/** X.690 8.19: OBJECT IDENTIFIER, base-128 subidentifiers with the first two combined. */
export function derOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const chunk = [value & 0x7f];
    for (let v = Math.floor(value / 128); v > 0; v = Math.floor(v / 128)) {
      chunk.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}
