import { randomBytes } from 'node:crypto';

/**
 * A random positive 16-byte serial number, as hex.
 * RFC 5280 section 4.1.2.2: positive, at most 20 octets; CA/B Forum BR 7.1: 64+ random bits.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  // Clear the sign bit (positive INTEGER) and keep the top byte non-zero (no shorter DER).
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}
