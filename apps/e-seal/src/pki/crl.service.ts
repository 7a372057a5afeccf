import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { getLogger } from '#common';
import { issueCrl, type RevokedEntry } from '#pki';
import { SealRepository } from '../seals/seal.repository.js';
import { PlatformCredentialRepository } from './platform-credential.repository.js';
import { PlatformPkiService } from './platform-pki.service.js';

const ISSUER = 'issuing';
const HOUR = 3600 * 1000;
// RFC 5280 5.1.2.5: relying parties may cache until nextUpdate; re-issued on every change.
const VALIDITY = 24 * HOUR;

/** The issuing CA's CRL: re-issued whenever a seal certificate is put on hold or revoked. */
@Injectable()
export class CrlService {
  private readonly log = getLogger('e-seal.crl');

  constructor(
    private readonly pki: PlatformPkiService,
    private readonly seals: SealRepository,
    private readonly repo: PlatformCredentialRepository,
  ) {}

  /** The current CRL (DER), re-issued first when it is missing or near its nextUpdate. */
  async current(): Promise<Buffer> {
    const row = await this.repo.currentCrl(ISSUER);
    if (row && row.nextUpdate.getTime() - Date.now() > HOUR) return row.crl;
    return this.seals.transaction((m) => this.reissue(m));
  }

  /** Issues a new full CRL from the registry inside the caller's transaction. */
  async reissue(m: EntityManager): Promise<Buffer> {
    await this.repo.lockCrl(m);
    const previous = await this.repo.currentCrl(ISSUER, m);
    const crlNumber = BigInt(previous?.crlNumber ?? '0') + 1n;
    const entries: RevokedEntry[] = (await this.seals.findRevoked(m))
      .filter((s) => s.certificateSerial && s.revokedAt)
      .map((s) => ({
        serialNumber: s.certificateSerial!,
        revocationDate: s.revokedAt!,
        reason:
          s.revocationReason === 'certificateHold' ? 'certificateHold' : 'cessationOfOperation',
      }));

    const thisUpdate = new Date();
    const nextUpdate = new Date(thisUpdate.getTime() + VALIDITY);
    const crl = await issueCrl({
      issuer: this.pki.issuer,
      entries,
      crlNumber,
      thisUpdate,
      nextUpdate,
    });
    await this.repo.saveCrl(
      { issuer: ISSUER, crlNumber: crlNumber.toString(), crl, thisUpdate, nextUpdate },
      m,
    );
    this.log.info({ crlNumber: crlNumber.toString(), entries: entries.length }, 'CRL issued');
    return crl;
  }
}
