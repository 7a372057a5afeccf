import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { getLogger } from '#common';
import { ARCHIVE_CONFIG, type ArchiveConfig } from '../config/archive-variables.js';
import { FixityService } from './fixity.service.js';

/**
 * Runs fixity every ARCHIVE_FIXITY_INTERVAL_MINUTES. The timer is unref'd: it never keeps the
 * process alive. With several replicas each runs its own schedule.
 */
// TODO(archive): no leader election yet; replicas each re-hash every object on their schedule.
@Injectable()
export class FixityScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private readonly log = getLogger('fixity');

  constructor(
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
    private readonly fixity: FixityService,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.ARCHIVE_FIXITY_INTERVAL_MINUTES;
    if (minutes === 0) return;
    this.timer = setInterval(() => {
      this.fixity.run('schedule', 'system').catch((err: unknown) => {
        this.log.error({ err }, 'scheduled fixity run failed');
      });
    }, minutes * 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
