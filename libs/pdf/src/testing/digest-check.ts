import type { PdfSignatureInfo } from '../validation/signatures.js';
import { digestSignature } from '../validation/signatures.js';
import { cmsMessageDigest } from './cms-test-signer.js';

const BY_LENGTH: Record<number, string> = { 20: 'sha1', 32: 'sha256', 48: 'sha384', 64: 'sha512' };

/**
 * Test-side integrity check: does the CMS messageDigest equal the digest of the byte ranges?
 * (The algorithm is guessed from the digest length; libs/pki does the real verification.)
 * A document timestamp's token has the digest as its message imprint, not checked here.
 */
export function digestMatches(pdf: Buffer, sig: PdfSignatureInfo): boolean | undefined {
  const md = cmsMessageDigest(sig.contents);
  if (!md || !BY_LENGTH[md.length]) return undefined;
  return digestSignature(pdf, sig, BY_LENGTH[md.length]).equals(md);
}
