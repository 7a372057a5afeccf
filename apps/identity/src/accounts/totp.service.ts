import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI } from 'otplib';
import { AuditLog } from '#audit';
import { FieldCrypto } from '../crypto/field-crypto.js';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { PersonRepository } from './person.repository.js';

/** TOTP enrolment (RFC 6238, SHA-1, 6 digits, 30 s) with ten single-use recovery codes. */
@Injectable()
export class TotpService {
  constructor(
    private readonly people: PersonRepository,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditLog,
  ) {}

  async enrol(personId: string, actor: string) {
    const person = await this.people.findById(personId);
    if (!person) throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
    const secret = generateSecret();
    const recoveryCodes = Array.from({ length: 10 }, () =>
      randomBytes(5).toString('hex').toUpperCase(),
    );
    await this.people.db.transaction(async (m) => {
      await this.people.update(m, personId, {
        totp_secret_sealed: this.crypto.seal(secret, 'person.totp'),
        totp_enabled: true,
        totp_last_step: null,
        recovery_codes: recoveryCodes.map((c) => this.crypto.lookupHash(c, 'recovery-code')),
      });
      await this.audit.append({ action: 'totp.enrolled', actor, subject: `person:${personId}` }, m);
    });
    const uri = generateURI({ issuer: 'gov-suite', label: person.username ?? person.id, secret });
    return { secret, uri, recoveryCodes };
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
}
