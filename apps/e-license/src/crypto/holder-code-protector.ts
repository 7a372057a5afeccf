import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
  randomInt,
  type KeyObject,
} from 'node:crypto';

/**
 * Keeps holders' codes (ID numbers, USCCs) out of the database in clear (ARCHITECTURE.md,
 * "What must never happen"): AES-256-GCM for the copy the service may need to show its
 * holder, and an HMAC-SHA256 lookup hash for matching a signed-in holder. Both keys are
 * derived from the master key with HKDF (RFC 5869), each for one purpose only.
 */
export class HolderCodeProtector {
  private readonly encryptionKey: Buffer;
  // KeyObjects, made once: a Buffer key costs a KeyObject per HMAC on the verification path.
  private readonly lookupKey: KeyObject;
  private readonly codeKey: KeyObject;

  constructor(masterKey: Buffer) {
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
    this.encryptionKey = derive('e-license/holder-code/aes-256-gcm');
    this.lookupKey = createSecretKey(derive('e-license/holder-code/hmac-lookup'));
    this.codeKey = createSecretKey(derive('e-license/verification-code/hmac'));
  }

  /** The lookup hash of a (code type, code) pair; the type keeps a USCC and an ID apart. */
  lookupHash(codeType: string, code: string): string {
    return createHmac('sha256', this.lookupKey)
      .update(`${codeType}:${code.trim().toUpperCase()}`)
      .digest('hex');
  }

  /** nonce (12) || ciphertext || tag (16); the code type is authenticated as AAD. */
  encrypt(codeType: string, code: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, nonce);
    cipher.setAAD(Buffer.from(codeType));
    const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  decrypt(codeType: string, sealed: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(codeType));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(12, sealed.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Keyed hash of a verification code: a leaked table does not reveal printed codes. */
  verificationCodeHash(code: string): string {
    return createHmac('sha256', this.codeKey).update(code.trim().toUpperCase()).digest('hex');
  }
}

// No 0/O, 1/I/L: read aloud or typed from paper without confusion.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short verification code printed on the face: 8 characters, about 40 bits. */
export function newVerificationCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
