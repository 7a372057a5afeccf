import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SUITE_CONTEXT, type SuiteContext } from '#common';

/** A subkey of the master key for one purpose (RFC 5869 HKDF-SHA256). */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `identity:${purpose}`, 32));
}

/**
 * Encryption at rest and keyed lookup hashes, all under subkeys of MASTER_KEY:
 * - `seal`/`open`: AES-256-GCM with a random 96-bit nonce (NIST SP 800-38D), the purpose
 *   bound as additional data so a ciphertext cannot be moved to another column;
 * - `lookupHash`: HMAC-SHA256, so an ID or phone number can be found without storing it;
 * - `secretHash`: HMAC-SHA256 of a high-entropy client secret (a slow hash would cap the
 *   token endpoint at a few dozen requests per second for no gain: the secret has 256 bits).
 */
@Injectable()
export class FieldCrypto {
  private readonly encryptionKey: KeyObject;
  // HMAC keys as key objects: a raw key is imported anew by every createHmac call, which
  // cost the token endpoint several times the HMAC itself (client secrets are checked on
  // every grant).
  private readonly lookupKey: KeyObject;
  private readonly clientSecretKey: KeyObject;

  constructor(@Inject(SUITE_CONTEXT) ctx: SuiteContext) {
    this.encryptionKey = createSecretKey(deriveKey(ctx.masterKey, 'field-encryption'));
    this.lookupKey = createSecretKey(deriveKey(ctx.masterKey, 'lookup-hash'));
    this.clientSecretKey = createSecretKey(deriveKey(ctx.masterKey, 'client-secret'));
  }

  seal(plaintext: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      body.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
    ].join('.');
  }

  open(sealed: string, purpose: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || body === undefined || !tag) {
      throw new Error('sealed value has an unknown format');
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.encryptionKey,
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  lookupHash(value: string, purpose: string): string {
    return createHmac('sha256', this.lookupKey).update(`${purpose}\0${value}`).digest('base64url');
  }

  clientSecretHash(secret: string): string {
    return createHmac('sha256', this.clientSecretKey).update(secret).digest('base64url');
  }
}

/** 110105********002X: enough for a person to recognise their own number, no more. */
export function maskIdNumber(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

export function maskPhone(value: string): string {
  if (value.length < 7) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}****${value.slice(-4)}`;
}
