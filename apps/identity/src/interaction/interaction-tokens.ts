import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC tokens bound to one interaction: the form's CSRF token and the pending second factor. */
export class InteractionTokens {
  constructor(private readonly key: Buffer) {}

  csrf(uid: string): string {
    return this.mac(`csrf\0${uid}`);
  }

  checkCsrf(uid: string, presented: unknown): boolean {
    return typeof presented === 'string' && equal(this.csrf(uid), presented);
  }

  /** Carries a person who passed the password to the second-factor form, for five minutes. */
  pending(uid: string, personId: string): string {
    const exp = Math.floor(Date.now() / 1000) + 300;
    return `${personId}.${exp}.${this.mac(`pending\0${uid}\0${personId}\0${exp}`)}`;
  }

  readPending(uid: string, value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    const [personId, exp, mac] = value.split('.');
    if (!personId || !exp || !mac || Number(exp) < Date.now() / 1000) return undefined;
    return equal(this.mac(`pending\0${uid}\0${personId}\0${exp}`), mac) ? personId : undefined;
  }

  private mac(input: string): string {
    return createHmac('sha256', this.key).update(input).digest('base64url');
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
