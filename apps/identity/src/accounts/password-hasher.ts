import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * Argon2id with 19 MiB, 2 passes, 1 lane: the OWASP Password Storage minimum (RFC 9106
 * section 4 second recommended option scaled to a server's budget).
 */
export const ARGON2_OPTIONS: Options = {
  // Algorithm.Argon2id (a const enum, which isolated modules cannot read).
  algorithm: 2,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** A real hash of a random password: verified against when no account matches, for equal timing. */
const DUMMY_HASH = hash('dummy password that never matches', ARGON2_OPTIONS);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    await verify(await DUMMY_HASH, password);
    return false;
  }
  return verify(stored, password);
}
