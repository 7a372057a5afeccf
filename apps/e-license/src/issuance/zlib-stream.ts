import { constants, deflateRawSync } from 'node:zlib';

/** A piece of a zlib stream compressed on its own: raw DEFLATE blocks ending on a byte. */
export interface DeflatedSegment {
  raw: Buffer;
  adler32: number;
  length: number;
}

/**
 * Compresses `data` as non-final DEFLATE blocks closed by a sync flush (RFC 1951 3.2.4: an
 * empty stored block), so that segments compressed apart, even once and reused, concatenate
 * into one valid stream.
 */
export function deflateSegment(data: Uint8Array, level = 6): DeflatedSegment {
  return {
    raw: deflateRawSync(data, { level, finishFlush: constants.Z_SYNC_FLUSH }),
    adler32: adler32(data),
    length: data.length,
  };
}

/**
 * One zlib stream (RFC 1950) of the segments in order: the same bytes inflate as from one
 * deflate of their concatenation. A Buffer is compressed here; a DeflatedSegment is used as
 * it is (compress what never changes once, the rest each time).
 *
 * @example zlibStream([deflateSegment(fixedPart), variablePart])
 */
export function zlibStream(segments: (Uint8Array | DeflatedSegment)[], level = 6): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x9c])];
  let sum = 1;
  for (const s of segments) {
    const segment = s instanceof Uint8Array ? deflateSegment(s, level) : s;
    parts.push(segment.raw);
    sum = adler32Combine(sum, segment.adler32, segment.length);
  }
  // A final, empty fixed-Huffman block (BFINAL=1, BTYPE=01, end-of-block code).
  parts.push(Buffer.from([0x03, 0x00]));
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(sum >>> 0);
  parts.push(trailer);
  return Buffer.concat(parts);
}

const BASE = 65521;

/** RFC 1950 8.2 Adler-32. */
export function adler32(data: Uint8Array, start = 1): number {
  let a = start & 0xffff;
  let b = start >>> 16;
  for (let i = 0; i < data.length;) {
    // 5552 bytes is the most that cannot overflow b before the modulo (as zlib does).
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= BASE;
    b %= BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** Adler-32 of A followed by B from the sums of A and of B (zlib's adler32_combine). */
export function adler32Combine(first: number, second: number, secondLength: number): number {
  const rem = secondLength % BASE;
  let a = first & 0xffff;
  let b = (rem * a) % BASE;
  a += (second & 0xffff) + BASE - 1;
  b += (first >>> 16) + (second >>> 16) + BASE - rem;
  if (a >= BASE) a -= BASE;
  if (a >= BASE) a -= BASE;
  if (b >= BASE * 2) b -= BASE * 2;
  if (b >= BASE) b -= BASE;
  return ((b << 16) | a) >>> 0;
}
