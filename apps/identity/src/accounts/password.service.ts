import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditLog } from '#audit';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { AccountSessionsRepository } from './account-sessions.repository.js';
import { hashPassword } from './password-hasher.js';
import { PersonRepository } from './person.repository.js';

/** NIST SP 800-63B 5.1.1.2: at least 8 characters (we ask 10), up to at least 64 allowed. */
export const PASSWORD_POLICY = { minLength: 10, maxLength: 200 };

/** How long a temporary password set by an administrator works. */
export const TEMPORARY_PASSWORD_HOURS = 24;

/** The same policy for a password chosen at creation, on the account page and by reset. */
export function checkPasswordPolicy(password: string): void {
  if (password.length < PASSWORD_POLICY.minLength) {
    throw new AccountError(
      AccountErrorCode.WeakPassword,
      400,
      `A password needs at least ${PASSWORD_POLICY.minLength} characters`,
    );
  }
  if (password.length > PASSWORD_POLICY.maxLength) {
    throw new AccountError(AccountErrorCode.WeakPassword, 400, 'The password is too long');
  }
}

/** A person's password: changed by themself, or reset by an administrator. */
@Injectable()
export class PasswordService {
  constructor(
    private readonly people: PersonRepository,
    private readonly sessions: AccountSessionsRepository,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The person's new password, once the caller has checked the current one. Every other
   * session and grant of the person ends (their refresh tokens too): a password is changed
   * because it may be known to someone else. `keep`: the session the change is made in (none
   * when it is made while signing in).
   */
  async change(personId: string, password: string, keep?: { uid: string; grants: string[] }) {
    checkPasswordPolicy(password);
    const hash = await hashPassword(password);

    await this.people.db.transaction(async (m) => {
      await this.people.update(m, personId, {
        password_hash: hash,
        password_must_change: false,
        password_expires_at: null,
      });
      await this.audit.append(
        { action: 'person.password_changed', actor: personId, subject: `person:${personId}` },
        m,
      );
    });
    const ended = await this.sessions.endOthers(personId, keep?.uid ?? null, keep?.grants ?? []);
    return { endedGrants: ended };
  }

  /**
   * A temporary password for the person, answered this once: it works for
   * TEMPORARY_PASSWORD_HOURS, and the sign-in with it asks for a new password before it goes
   * on (InteractionController). The person's sessions and grants end.
   */
  async reset(personId: string, actor: string, now = new Date()) {
    // 15 random bytes: 120 bits, 20 base64url characters.
    const temporaryPassword = randomBytes(15).toString('base64url');
    const expiresAt = new Date(now.getTime() + TEMPORARY_PASSWORD_HOURS * 3600_000);
    const hash = await hashPassword(temporaryPassword);

    await this.people.db.transaction(async (m) => {
      if (!(await this.people.findById(personId, m))) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
      }
      await this.people.update(m, personId, {
        password_hash: hash,
        password_must_change: true,
        password_expires_at: expiresAt,
      });
      await this.audit.append(
        {
          action: 'person.password_reset',
          actor,
          subject: `person:${personId}`,
          details: { expiresAt: expiresAt.toISOString() },
        },
        m,
      );
    });
    await this.sessions.endOthers(personId, null, []);
    return { temporaryPassword, expiresAt: expiresAt.toISOString(), mustChange: true };
  }
}
