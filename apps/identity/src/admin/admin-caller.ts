import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { requireRole, type Caller } from '#auth';

export const ADMIN_ROLE = 'identity:admin';

/**
 * The caller of an admin endpoint: the token's scope is checked by `@RequireScopes`, and the
 * caller must also hold the `identity:admin` role for every unit (`*`), person or client.
 */
export const AdminCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<Request & { user: Caller }>().user;
  requireRole(caller, ADMIN_ROLE, '*');
  return caller;
});
