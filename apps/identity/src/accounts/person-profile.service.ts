import { Injectable } from '@nestjs/common';
import { AuditLog } from '#audit';
import { FieldCrypto, maskPhone } from '../crypto/field-crypto.js';
import { AccountError, AccountErrorCode } from './account.errors.js';
import { MOBILE, PHONE_PURPOSE, toPersonView, type PersonView } from './account.service.js';
import { PersonRepository, type PersonRow } from './person.repository.js';

export interface ProfilePatch {
  name?: string;
  phone?: string;
  email?: string;
  /** Refused: see update(). */
  idNumber?: string;
  idType?: string;
}

/** An administrator's corrections to a person's name, mobile number and email. */
@Injectable()
export class PersonProfileService {
  constructor(
    private readonly people: PersonRepository,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The ID number is never changed here: it is who the person is (the legal representative of
   * organisations is recognised by it, and relying parties receive it under `idcard`), so a
   * wrong one is a different person. Such an account is disabled and a new one created, which
   * the audit chain keeps side by side. The audit records which fields changed, not values.
   */
  async update(id: string, patch: ProfilePatch, actor: string): Promise<PersonView> {
    if (patch.idNumber !== undefined || patch.idType !== undefined) {
      throw new AccountError(
        AccountErrorCode.IdNumberImmutable,
        400,
        'An ID number is not changed; disable the account and create a new one',
      );
    }
    const fields: Partial<PersonRow> = {};
    if (patch.name !== undefined) fields.name = patch.name.trim();
    if (patch.email !== undefined) fields.email = patch.email;
    if (patch.phone !== undefined) {
      if (!MOBILE.test(patch.phone)) {
        throw new AccountError(
          AccountErrorCode.InvalidPhone,
          400,
          'The mobile number is not valid',
        );
      }
      fields.phone_sealed = this.crypto.seal(patch.phone, PHONE_PURPOSE);
      fields.phone_hash = this.crypto.lookupHash(patch.phone, PHONE_PURPOSE);
      fields.phone_masked = maskPhone(patch.phone);
    }

    await this.people.db.transaction(async (m) => {
      if (!(await this.people.findById(id, m))) {
        throw new AccountError(AccountErrorCode.PersonNotFound, 404, 'No such person');
      }
      try {
        await this.people.update(m, id, fields);
      } catch (err) {
        if ((err as { code?: string }).code === '23505') {
          throw new AccountError(
            AccountErrorCode.AccountExists,
            409,
            'Another account has this mobile number',
          );
        }
        throw err;
      }
      const changed = (['name', 'phone', 'email'] as const).filter((k) => patch[k] !== undefined);
      await this.audit.append(
        { action: 'person.updated', actor, subject: `person:${id}`, details: { fields: changed } },
        m,
      );
    });
    const row = await this.people.findById(id);
    return toPersonView(row!);
  }
}
