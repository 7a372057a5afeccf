import { Injectable } from '@nestjs/common';
import { getLogger } from '#common';
import { OrganisationRepository } from '../accounts/organisation.repository.js';
import { SignInThrottleRepository } from '../accounts/sign-in-throttle.repository.js';
import { THROTTLE } from '../accounts/sign-in.service.js';
import { SigningKeyRepository } from '../keys/signing-key.repository.js';
import { BackchannelDeliveryRepository } from '../logout/backchannel-delivery.repository.js';
import { GRANT_TTL_SECONDS } from '../oidc/provider-configuration.js';

const log = getLogger('identity.retention');

/**
 * How long a finished back-channel logout delivery and its attempts are kept: long enough to
 * answer a relying party's question about last month's logouts; the audit chain keeps the
 * final outcome for good.
 */
export const BACKCHANNEL_RETENTION_SECONDS = 30 * 24 * 3600;

export type PurgeCounts = Record<
  'signInThrottle' | 'actingOrganisation' | 'backchannelDelivery' | 'signingKey',
  number
>;

/**
 * Deletes what identity no longer needs, on the provider's purge schedule: sign-in counters
 * past their window and lock, organisation choices of grants that are gone, finished
 * back-channel deliveries past their retention, retired keys past `remove_after`.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly throttle: SignInThrottleRepository,
    private readonly organisations: OrganisationRepository,
    private readonly deliveries: BackchannelDeliveryRepository,
    private readonly keys: SigningKeyRepository,
  ) {}

  async purge(): Promise<PurgeCounts> {
    const removed: PurgeCounts = {
      signInThrottle: await this.throttle.purgeStale(THROTTLE.windowSeconds),
      actingOrganisation: await this.organisations.purgeActing(GRANT_TTL_SECONDS),
      backchannelDelivery: await this.deliveries.purgeFinished(BACKCHANNEL_RETENTION_SECONDS),
      signingKey: await this.keys.purgeRemoved(),
    };
    if (Object.values(removed).some((n) => n > 0)) log.info(removed, 'expired records purged');
    return removed;
  }
}
