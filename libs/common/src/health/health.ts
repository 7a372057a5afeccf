import { Controller, Get, Global, HttpCode, Injectable, Module } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CommonError, CommonErrorCode } from '../errors/domain-error.js';
import { getLogger } from '../logging/logger.js';

type Check = () => Promise<void>;

/** Readiness checks registered by the modules of a service (the database, for one). */
@Injectable()
export class HealthIndicators {
  private readonly checks = new Map<string, Check>();

  register(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  async run(): Promise<Record<string, 'up' | 'down'>> {
    const out: Record<string, 'up' | 'down'> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          out[name] = 'up';
        } catch (err) {
          getLogger('health').warn({ err, check: name }, 'readiness check failed');
          out[name] = 'down';
        }
      }),
    );
    return out;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly indicators: HealthIndicators) {}

  /** The process is up. */
  @Get('live')
  live() {
    return { status: 'up' };
  }

  /** The service can serve requests: every registered check passed. */
  @Get('ready')
  @HttpCode(200)
  async ready() {
    const checks = await this.indicators.run();
    if (Object.values(checks).some((s) => s === 'down')) {
      throw new CommonError(CommonErrorCode.ServiceUnavailable, 503, 'Not ready', { checks });
    }
    return { status: 'up', checks };
  }
}

@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthIndicators],
  exports: [HealthIndicators],
})
export class HealthModule {}
