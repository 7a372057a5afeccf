import { createHash } from 'node:crypto';
import { damaged } from '../errors.js';

// PDF 32000-1 12.8.1: /ByteRange covers the whole file except the /Contents hex string.

/** Ten digits fit any offset below 10 GB; written now, patched once the offsets are known. */
const SLOT = '**********';
export const BYTE_RANGE_PLACEHOLDER = `/ByteRange [0 ${SLOT} ${SLOT} ${SLOT}]`;

export type ByteRange = readonly [number, number, number, number];

export function contentsPlaceholder(reservedBytes: number): string {
  return '/Contents <' + '0'.repeat(reservedBytes * 2) + '>';
}

export interface PatchedRange {
  readonly byteRange: ByteRange;
  /** Offset of the first hex digit inside /Contents' angle brackets. */
  readonly hexStart: number;
  readonly reservedBytes: number;
}

/**
 * Fills in /ByteRange of the signature dictionary written at `sigOffset`. The placeholders are
 * the first of their kind after the object header because the dictionary is written with them
 * first, before any caller-supplied string: a `/Contents` inside a reason cannot be mistaken.
 */
export function patchByteRange(bytes: Buffer, sigOffset: number): PatchedRange {
  const br = bytes.indexOf('/ByteRange [0 ', sigOffset, 'latin1');
  const ct = bytes.indexOf('/Contents <', sigOffset, 'latin1');
  if (br < 0 || ct < 0) throw damaged('signature placeholders not found');
  const open = ct + '/Contents '.length;
  const close = bytes.indexOf(0x3e, open);
  const byteRange: ByteRange = [0, open, close + 1, bytes.length - (close + 1)];

  const slotsAt = br + '/ByteRange [0 '.length;
  const text = `${byteRange[1]} ${byteRange[2]} ${byteRange[3]}]`;
  const width = SLOT.length * 3 + 3;
  if (text.length > width) throw damaged('file too large for the /ByteRange placeholder');
  bytes.write(text.padEnd(width, ' '), slotsAt, 'latin1');
  return { byteRange, hexStart: open + 1, reservedBytes: (close - open - 1) / 2 };
}

/** The bytes a signature covers, as views (no copy). */
export function signedParts(bytes: Buffer, range: ByteRange): Buffer[] {
  return [
    bytes.subarray(range[0], range[0] + range[1]),
    bytes.subarray(range[2], range[2] + range[3]),
  ];
}

/** Digest of the byte ranges, e.g. `digestByteRange(pdf, br, 'sha256')`. */
export function digestByteRange(
  bytes: Buffer,
  range: readonly number[],
  algorithm = 'sha256',
): Buffer {
  const h = createHash(algorithm);
  for (let i = 0; i + 1 < range.length; i += 2) {
    const start = Math.max(0, range[i]);
    h.update(bytes.subarray(start, Math.min(bytes.length, start + Math.max(0, range[i + 1]))));
  }
  return h.digest();
}

/** Writes the DER container into the reserved hex string; the rest stays zero padding. */
export function embedContents(bytes: Buffer, patched: PatchedRange, cms: Buffer): void {
  if (cms.length > patched.reservedBytes) throw damaged('signature container larger than reserved');
  bytes.write(cms.toString('hex'), patched.hexStart, 'latin1');
}
