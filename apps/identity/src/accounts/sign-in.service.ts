import { Injectable } from '@nestjs/common';
import { verify as verifyTotp } from 'otplib';
import { getLogger } from '#common';
import { AuditLog } from '#audit';
import { ProviderEvents } from '../oidc/provider-events.js';
import { FieldCrypto } from '../crypto/field-crypto.js';
import { ID_PURPOSE, PHONE_PURPOSE } from './account.service.js';
import { verifyPassword } from './password-hasher.js';
import { PersonRepository, type PersonRow } from './person.repository.js';
import { SignInThrottleRepository } from './sign-in-throttle.repository.js';

const log = getLogger('identity.sign-in');

/** A temporary password set by an administrator stops working at its expiry. */
function temporaryExpired(person: PersonRow): boolean {
  return !!person.password_expires_at && new Date(person.password_expires_at) <= new Date();
}

/**
 * Five failures in 15 minutes lock an account (or an unknown identifier) for 15 minutes;
 * twenty lock the client address.
 */
export const THROTTLE = { windowSeconds: 900, accountLimit: 5, addressLimit: 20, lockSeconds: 900 };

export type SignInOutcome =
  | { ok: true; person: PersonRow }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: Date };

/**
 * Password sign-in by username, ID number or mobile number. The answer is the same for an
 * unknown identifier and a wrong password, and both cost one lookup and one Argon2id
 * verification, so no message or timing tells whether an account exists.
 *
 * Failures are counted per account, whichever of its identifiers was typed (NIST SP 800-63B
 * 5.2.2: the limit is per subscriber account, or a person's three identifiers would give an
 * attacker three times the guesses); an identifier that names no account has a counter of
 * its own with the same limit, so it locks exactly like a real one. A locked account answers
 * "locked" to each of its identifiers, which tells whoever locked one that the others are the
 * same person's: accepted, as the price of the per-account limit.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly people: PersonRepository,
    private readonly throttle: SignInThrottleRepository,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditLog,
    private readonly events: ProviderEvents,
  ) {}

  async withPassword(
    identifier: string,
    password: string,
    address: string,
  ): Promise<SignInOutcome> {
    const normalised = identifier.trim();
    const person = await this.people.findByLogin(
      normalised,
      this.crypto.lookupHash(normalised.toUpperCase(), ID_PURPOSE),
      this.crypto.lookupHash(normalised, PHONE_PURPOSE),
    );
    const accountKey = person
      ? `acct:${person.id}`
      : `id:${this.crypto.lookupHash(normalised.toUpperCase(), 'sign-in')}`;
    const addressKey = `ip:${address}`;

    const { lockedUntil: locked, counting } = await this.throttle.check(
      [accountKey, addressKey],
      accountKey,
    );
    if (locked) {
      await this.record('signin.locked', 'anonymous', 'failure', {});
      return { ok: false, reason: 'locked', until: locked };
    }

    const valid = await verifyPassword(person?.password_hash ?? null, password);
    if (!valid || !person || person.disabled || temporaryExpired(person)) {
      await this.countFailure(accountKey, addressKey);
      await this.record('signin.failed', person?.id ?? 'anonymous', 'failure', { factor: 'pwd' });
      return { ok: false, reason: 'invalid' };
    }

    // Most sign-ins follow no failure: no counter to reset, no statement to send.
    if (counting) await this.throttle.clear(accountKey);
    // Queued for the provider events' next batch (retried, written at shutdown): nothing here
    // needs the entry's id, and a success is what a busy service does hundreds of times.
    this.events.queue({
      action: 'signin.password',
      actor: person.id,
      subject: `person:${person.id}`,
      outcome: 'success',
      details: { factor: 'pwd' },
    });
    return { ok: true, person };
  }

  /**
   * The password again, for a signed-in person about to change their security settings;
   * failures count against the same account and address limits as a sign-in.
   */
  async confirmPassword(
    personId: string,
    password: string,
    address: string,
  ): Promise<'ok' | 'invalid' | 'locked'> {
    const accountKey = `acct:${personId}`;
    const addressKey = `ip:${address}`;
    if (await this.throttle.lockedUntil([accountKey, addressKey])) return 'locked';

    const person = await this.people.findById(personId);
    if (
      person &&
      !person.disabled &&
      !temporaryExpired(person) &&
      (await verifyPassword(person.password_hash, password))
    ) {
      return 'ok';
    }
    await this.countFailure(accountKey, addressKey);
    await this.record('account.reauthentication_failed', personId, 'failure', { factor: 'pwd' });
    return 'invalid';
  }

  /** RFC 6238 code (one step of drift either way), each time step usable once; or a recovery code. */
  async secondFactor(personId: string, code: string, address: string): Promise<boolean> {
    const person = await this.people.findById(personId);
    const key = `2fa:${personId}`;
    if (!person?.totp_enabled || !person.totp_secret_sealed) return false;
    if (await this.throttle.lockedUntil([key, `ip:${address}`])) return false;

    const secret = this.crypto.open(person.totp_secret_sealed, 'person.totp');
    const trimmed = code.replace(/\s/g, '');
    let ok = false;
    if (/^[0-9]{6}$/.test(trimmed)) {
      const result = await verifyTotp({ secret, token: trimmed, epochTolerance: 30 });
      if (result.valid) {
        const step = Math.floor(Date.now() / 30000) + result.delta;
        ok = await this.people.advanceTotpStep(personId, step);
      }
    } else {
      ok = await this.useRecoveryCode(person, trimmed);
    }
    if (!ok) {
      await this.throttle.recordFailure(
        key,
        THROTTLE.windowSeconds,
        THROTTLE.accountLimit,
        THROTTLE.lockSeconds,
      );
    } else {
      await this.throttle.clear(key);
    }
    await this.record('signin.second_factor', personId, ok ? 'success' : 'failure', {
      factor: 'otp',
    });
    return ok;
  }

  /** Each recovery code works once, even for two sign-ins at the same instant. */
  private async useRecoveryCode(person: PersonRow, code: string): Promise<boolean> {
    const hash = this.crypto.lookupHash(code.toUpperCase(), 'recovery-code');
    if (!person.recovery_codes.includes(hash)) return false;
    return this.people.consumeRecoveryCode(person.id, hash);
  }

  private async countFailure(accountKey: string, addressKey: string): Promise<void> {
    const { windowSeconds, accountLimit, addressLimit, lockSeconds } = THROTTLE;
    await this.throttle.recordFailure(accountKey, windowSeconds, accountLimit, lockSeconds);
    await this.throttle.recordFailure(addressKey, windowSeconds, addressLimit, lockSeconds);
  }

  private async record(
    action: string,
    actor: string,
    outcome: 'success' | 'failure',
    details: Record<string, unknown>,
  ) {
    try {
      await this.audit.append({
        action,
        actor,
        subject: actor === 'anonymous' ? '' : `person:${actor}`,
        outcome,
        details,
      });
    } catch (err) {
      log.error({ err, action }, 'audit append failed');
    }
  }
}
