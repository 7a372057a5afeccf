import { Injectable } from '@nestjs/common';
import type { Caller } from '#auth';
import { getLogger } from '#common';
import { UsageRepository } from '../holders/usage.repository.js';
import { IssuanceService } from '../issuance/issuance.service.js';
import type { LicenseEntity } from '../issuance/license.entity.js';
import { LicenseRepository } from '../issuance/license.repository.js';
import { toLicenseView, type LicenseView } from '../issuance/license-view.js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';

/**
 * Business systems reading a holder's license (共享调用): only under the holder's active
 * grant for that system, or a standing permission an administrator set for the system and
 * the license type. Every read goes to the usage log, with its basis and purpose.
 */
@Injectable()
export class SharedLicenseService {
  private readonly log = getLogger('e-license.shared');

  constructor(
    private readonly licenses: LicenseRepository,
    private readonly usage: UsageRepository,
    private readonly issuance: IssuanceService,
  ) {}

  async data(
    caller: Caller,
    identifier: string,
  ): Promise<LicenseView & { basis: string; purpose: string }> {
    const { license, basis, purpose } = await this.authorise(caller, identifier, 'read-data');
    const code = this.issuance.protector.decrypt(license.holderCodeType, license.holderCodeEnc);
    return { ...toLicenseView(license, code), basis, purpose };
  }

  async pdf(caller: Caller, identifier: string): Promise<{ license: LicenseEntity; pdf: Buffer }> {
    const { license } = await this.authorise(caller, identifier, 'read-pdf');
    return { license, pdf: (await this.licenses.document(license.documentSha256!))! };
  }

  /** The licenses this system holds an active grant for. */
  async granted(caller: Caller) {
    const grants = await this.usage.grantsOfClient(caller.clientId);
    const out = [];
    for (const g of grants) {
      const l = await this.licenses.byId(g.licenseId);
      if (l) {
        out.push({
          grantId: g.id,
          identifier: l.identifier,
          name: l.name,
          purpose: g.purpose,
          validUntil: new Date(g.validUntil).toISOString(),
        });
      }
    }
    return out;
  }

  private async authorise(caller: Caller, identifier: string, action: string) {
    if (caller.kind !== 'client') {
      throw new LicenseError(
        LicenseErrorCode.NoGrant,
        403,
        'Business systems read licenses with their own client-credentials token',
      );
    }
    const license = await this.licenses.byIdentifier(identifier.trim().toUpperCase());
    if (!license) throw new LicenseError(LicenseErrorCode.LicenseNotFound, 404, 'No such license');
    const grant = await this.usage.activeGrant(license.id, caller.clientId);
    const standing = grant
      ? null
      : await this.usage.activePermission(caller.clientId, license.typeCode);
    if (!grant && !standing) {
      this.log.info(
        { licenseId: license.id, clientId: caller.clientId, action },
        'read refused: no grant',
      );
      throw new LicenseError(
        LicenseErrorCode.NoGrant,
        403,
        'This system has no active grant from the holder nor a standing permission for this type',
        { clientId: caller.clientId },
      );
    }
    const basis = grant ? `grant:${grant.id}` : `standing:${standing!.id}`;
    const purpose = grant ? grant.purpose : standing!.purpose;
    await this.usage.log({
      licenseId: license.id,
      accessorKind: 'client',
      accessor: caller.clientId,
      action,
      purpose,
      basis,
    });
    this.log.info(
      { licenseId: license.id, clientId: caller.clientId, action, basis },
      'license read',
    );
    return { license, basis, purpose };
  }
}
