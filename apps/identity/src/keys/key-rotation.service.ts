import { Injectable } from '@nestjs/common';
import { AuditLog } from '#audit';
import { ProviderHost } from '../oidc/provider-host.service.js';
import { KeyStoreService, type SigningAlg } from './key-store.service.js';

/**
 * An administrator's key rotation: the published `next` key starts signing at once on this
 * process (other processes follow within their key poll), a new `next` key is published, and
 * the old key stays in the JWKS until what it signed has expired.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    private readonly keys: KeyStoreService,
    private readonly host: ProviderHost,
    private readonly audit: AuditLog,
  ) {}

  async rotate(alg: SigningAlg, actor: string) {
    const result = await this.keys.rotate(alg);
    await this.audit.append({
      action: 'key.rotated',
      actor,
      subject: `key:${result.activeKid}`,
      details: { alg, ...result },
    });
    await this.host.reload();
    return { alg, ...result };
  }
}
