import { Global, Module, type DynamicModule } from '@nestjs/common';
import { SUITE_CONTEXT, type SuiteContext } from '../config/suite-context.js';
import { HealthModule } from '../health/health.js';

/** What every service module gets: the SuiteContext (injectable) and health endpoints. */
@Global()
@Module({})
export class SuiteCoreModule {
  static forRoot(context: SuiteContext): DynamicModule {
    return {
      module: SuiteCoreModule,
      imports: [HealthModule],
      providers: [{ provide: SUITE_CONTEXT, useValue: context }],
      exports: [SUITE_CONTEXT],
    };
  }
}
