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
import { AuthError, AuthErrorCode } from './auth-error.js';
import { requireRole, type Caller } from './caller.js';
import { AUTH_RESOURCE, strategyName } from './jwt-bearer.strategy.js';

const SCOPES_KEY = 'suite:scopes';
const ROLE_KEY = 'suite:role';

/** Where a route finds the unit (USCC, fonds code) a role is needed for. */
export type UnitOf = (req: Request) => unknown;

interface RoleRequirement {
  role: string;
  unitOf: UnitOf;
}

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

/**
 * Checks the role of @RequireRole for the unit the request names. Guards run before pipes,
 * so the unit is read from the request as sent (path, query or parsed body).
 */
@Injectable()
export class RoleGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const need = this.reflector.get<RoleRequirement | undefined>(ROLE_KEY, context.getHandler());
    if (!need) return true;
    const req = context.switchToHttp().getRequest<Request & { user: Caller }>();
    const unit = need.unitOf(req);
    if (typeof unit !== 'string' || unit === '') {
      throw new AuthError(AuthErrorCode.UnitMissing, 400, 'The request names no unit', {
        role: need.role,
      });
    }
    requireRole(req.user, need.role, unit);
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

/**
 * Requires a token with the scope `role` whose caller holds `role` for the unit the request
 * names (a `*` role holds it for every unit): 403 RoleRequired otherwise, 400 UnitMissing
 * when the request names none. On a method only: the unit is the route's own.
 *
 * @example
 *   @Post('applications')
 *   @RequireRole('seal:apply', (req) => (req.body as { ownerUscc?: string }).ownerUscc)
 *   apply(@Body() dto: ApplicationDto, @CurrentCaller() caller: Caller) { ... }
 */
export function RequireRole(role: string, unitOf: UnitOf): MethodDecorator {
  return applyDecorators(
    SetMetadata(SCOPES_KEY, [role]),
    SetMetadata(ROLE_KEY, { role, unitOf } satisfies RoleRequirement),
    UseGuards(BearerGuard, ScopesGuard, RoleGuard),
    ApiBearerAuth(),
  );
}

/** The authenticated caller of this request. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Caller =>
    ctx.switchToHttp().getRequest<Request & { user: Caller }>().user,
);
