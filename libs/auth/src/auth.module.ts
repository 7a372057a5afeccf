import { Module, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import type { ServiceName } from '#common';
import { BearerGuard, RoleGuard, ScopesGuard } from './decorators.js';
import { AUTH_RESOURCE, createJwtBearerStrategy } from './jwt-bearer.strategy.js';

/** Makes a service a resource server of identity's tokens. */
@Module({})
export class AuthModule {
  static forResource(resource: ServiceName): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule],
      providers: [
        { provide: AUTH_RESOURCE, useValue: resource },
        createJwtBearerStrategy(resource),
        BearerGuard,
        ScopesGuard,
        RoleGuard,
      ],
      exports: [PassportModule, AUTH_RESOURCE, BearerGuard, ScopesGuard, RoleGuard],
    };
  }
}
