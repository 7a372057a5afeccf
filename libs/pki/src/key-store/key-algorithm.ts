import { generateKeyPair as generateKeyPairCallback, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

/** Key types the platform issues: RSA-2048 by default; RSA-3072 and ECDSA P-256 supported. */
export type KeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'EC-P256';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const generate = promisify(generateKeyPairCallback);

/**
 * Generates a key pair off the main thread (node:crypto runs RSA generation in the pool).
 *
 * @example
 * const { privateKey, publicKey } = await generateKeyPair('RSA-2048');
 */
export async function generateKeyPair(algorithm: KeyAlgorithm = 'RSA-2048'): Promise<KeyPair> {
  switch (algorithm) {
    case 'RSA-2048':
      return generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    case 'RSA-3072':
      return generate('rsa', { modulusLength: 3072, publicExponent: 0x10001 });
    case 'EC-P256':
      return generate('ec', { namedCurve: 'P-256' });
  }
}

/** Reads the platform's name of a key's algorithm back from the key itself. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && details?.modulusLength === 2048) return 'RSA-2048';
  if (key.asymmetricKeyType === 'rsa' && details?.modulusLength === 3072) return 'RSA-3072';
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'EC-P256';
  return undefined;
}
