import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import type { ServiceName } from '#common';
import { AuthError } from './auth-error.js';
import type { Caller } from './caller.js';
import { AUTH_RESOURCE, strategyName } from './jwt-bearer.strategy.js';

const SCOPES_KEY = 'suite:scopes';

@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required =
      this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    const caller = context.switchToHttp().getRequest<Request & { user?: Caller }>().user;
    const missing = required.filter((s) => !caller?.scopes.includes(s));
    if (missing.length > 0) throw AuthError.insufficientScope(required);
    return true;
  }
}

/** Runs this service's bearer-token strategy (named per service, see strategyName). */
@Injectable()
export class BearerGuard implements CanActivate {
  private readonly inner: CanActivate;

  constructor(@Inject(AUTH_RESOURCE) resource: ServiceName) {
    const Guard = AuthGuard(strategyName(resource));
    this.inner = new Guard();
  }

  canActivate(context: ExecutionContext) {
    return this.inner.canActivate(context);
  }
}

/** Requires a valid access token for this service. */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(BearerGuard, ScopesGuard), ApiBearerAuth());
}

/**
 * Requires a valid access token carrying every listed scope.
 *
 * @example
 *   @RequireScopes('seal:apply') @Post() seal(@CurrentCaller() caller: Caller) { ... }
 */
export function RequireScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(SCOPES_KEY, scopes), Authenticated());
}

/** The authenticated caller of this request. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Caller =>
    ctx.switchToHttp().getRequest<Request & { user: Caller }>().user,
);
