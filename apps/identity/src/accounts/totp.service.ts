import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '#audit';
import { FieldCrypto } from '../crypto/field-crypto.js';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { PersonRepository, type PersonRow } from './person.repository.js';

/** How long a person has to type the first code of a new secret. */
const ENROLMENT_SECONDS = 600;
const ENROLMENT_PURPOSE = 'person.totp-enrolment';

export interface PendingEnrolment {
  secret: string;
  uri: string;
  /** The secret sealed for this person with an expiry; carried by the confirmation form. */
  pending: string;
}

/** TOTP enrolment (RFC 6238, SHA-1, 6 digits, 30 s) with ten single-use recovery codes. */
@Injectable()
export class TotpService {
  constructor(
    private readonly people: PersonRepository,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditLog,
  ) {}

  /** Enrols at once (the admin API): secret, URI and recovery codes, shown once. */
  async enrol(personId: string, actor: string) {
    const person = await this.people.findById(personId);
    if (!person) throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
    const secret = generateSecret();
    const recoveryCodes = await this.people.db.transaction((m) =>
      this.store(m, personId, secret, null, actor, 'totp.enrolled'),
    );
    return { secret, uri: this.uri(person, secret), recoveryCodes };
  }

  /**
   * Starts a self-service enrolment. Nothing is stored yet: the secret travels sealed in the
   * confirmation form, and becomes the person's factor only once a first code proves that
   * their authenticator holds it.
   */
  begin(person: PersonRow): PendingEnrolment {
    const secret = generateSecret();
    const exp = Math.floor(Date.now() / 1000) + ENROLMENT_SECONDS;
    const pending = this.crypto.seal(
      JSON.stringify({ p: person.id, s: secret, exp }),
      ENROLMENT_PURPOSE,
    );
    return { secret, uri: this.uri(person, secret), pending };
  }

  /** The secret of a pending enrolment of this person, if the form is genuine and fresh. */
  pendingSecret(personId: string, pending: string): string | undefined {
    try {
      const o = JSON.parse(this.crypto.open(pending, ENROLMENT_PURPOSE)) as {
        p: string;
        s: string;
        exp: number;
      };
      return o.p === personId && o.exp > Date.now() / 1000 ? o.s : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Completes a self-service enrolment with the first code (RFC 6238, one step of drift);
   * that code's time step counts as used. Answers the recovery codes, or undefined for a
   * wrong code or a stale form.
   */
  async confirm(
    personId: string,
    pending: string,
    code: string,
    actor: string,
  ): Promise<string[] | undefined> {
    const secret = this.pendingSecret(personId, pending);
    const token = code.replace(/\s/g, '');
    if (!secret || !/^[0-9]{6}$/.test(token)) return undefined;
    const result = await verifyTotp({ secret, token, epochTolerance: 30 });
    if (!result.valid) return undefined;

    const step = Math.floor(Date.now() / 30000) + result.delta;
    return this.people.db.transaction((m) =>
      this.store(m, personId, secret, String(step), actor, 'totp.enrolled'),
    );
  }

  /** New recovery codes replace all earlier ones (a person who used or lost some). */
  async regenerateRecoveryCodes(personId: string, actor: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    await this.people.db.transaction(async (m) => {
      const person = await this.people.findById(personId, m);
      if (!person?.totp_enabled) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No second factor');
      }
      await this.people.update(m, personId, { recovery_codes: codes.map((c) => this.hash(c)) });
      await this.audit.append(
        { action: 'totp.recovery_codes_regenerated', actor, subject: `person:${personId}` },
        m,
      );
    });
    return codes;
  }

  /** Removes the second factor (a lost device); the person signs in with a password again. */
  async remove(personId: string, actor: string): Promise<void> {
    await this.people.db.transaction(async (m) => {
      if (!(await this.people.findById(personId, m))) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
      }
      await this.people.update(m, personId, {
        totp_secret_sealed: null,
        totp_enabled: false,
        totp_last_step: null,
        recovery_codes: [],
      });
      await this.audit.append({ action: 'totp.removed', actor, subject: `person:${personId}` }, m);
    });
  }

  private async store(
    m: EntityManager,
    personId: string,
    secret: string,
    lastStep: string | null,
    actor: string,
    action: string,
  ): Promise<string[]> {
    const codes = newRecoveryCodes();
    await this.people.update(m, personId, {
      totp_secret_sealed: this.crypto.seal(secret, 'person.totp'),
      totp_enabled: true,
      totp_last_step: lastStep,
      recovery_codes: codes.map((c) => this.hash(c)),
    });
    await this.audit.append({ action, actor, subject: `person:${personId}` }, m);
    return codes;
  }

  private hash(code: string): string {
    return this.crypto.lookupHash(code, 'recovery-code');
  }

  /** The otpauth:// URI an authenticator app reads (Key Uri Format). */
  uri(person: PersonRow, secret: string): string {
    return generateURI({ issuer: 'gov-suite', label: person.username ?? person.id, secret });
  }
}

/** Ten codes of 40 random bits, shown once and stored only as keyed hashes. */
function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => randomBytes(5).toString('hex').toUpperCase());
}
