import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { Strategy } from 'passport-custom';
import { SUITE_CONTEXT, type ServiceName, type SuiteContext } from '#common';
import { AuthError, AuthErrorCode } from './auth-error.js';
import { callerFromClaims, type Caller } from './caller.js';

export const AUTH_RESOURCE = Symbol('AUTH_RESOURCE');

/**
 * Passport keeps one process-wide registry of strategies by name; with four services in one
 * process each needs its own name, or the last one registered would check every audience.
 */
export function strategyName(resource: ServiceName): string {
  return `suite-jwt:${resource}`;
}

/**
 * Verifies identity's JWT access tokens locally (RFC 9068): signature against identity's
 * JWKS (cached; refetched when a token names an unknown key), issuer, audience = this
 * service's resource indicator, expiry, `typ: at+jwt`.
 */
export function createJwtBearerStrategy(resource: ServiceName) {
  @Injectable()
  class JwtBearerStrategy extends PassportStrategy(Strategy, strategyName(resource)) {
    constructor(@Inject(SUITE_CONTEXT) ctx: SuiteContext) {
      super();
      verifier = new AccessTokenVerifier(ctx, resource);
    }

    validate(req: Request): Promise<Caller> {
      return verifier.verify(req.headers.authorization);
    }
  }
  let verifier: AccessTokenVerifier;
  return JwtBearerStrategy;
}

/** The token checks, apart from Passport's plumbing. */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly issuer: string;
  private readonly audience: string;

  constructor(ctx: SuiteContext, resource: ServiceName) {
    this.issuer = ctx.publicUrls.identity;
    this.audience = ctx.publicUrls[resource];
    this.keys =
      ctx.authKeys ??
      createRemoteJWKSet(new URL(`${ctx.serviceUrls.identity}/jwks`), {
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
  }

  async verify(header: string | undefined): Promise<Caller> {
    if (!header)
      throw AuthError.unauthorized(AuthErrorCode.TokenMissing, 'A bearer token is required');
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match)
      throw AuthError.unauthorized(AuthErrorCode.TokenInvalid, 'Malformed Authorization header');

    try {
      const { payload } = await jwtVerify(match[1]!, this.keys, {
        issuer: this.issuer,
        audience: this.audience,
        typ: 'at+jwt',
        clockTolerance: 5,
      });
      return callerFromClaims(payload);
    } catch (err) {
      if (err instanceof errors.JWTExpired) {
        throw AuthError.unauthorized(AuthErrorCode.TokenExpired, 'The token has expired');
      }
      if (err instanceof errors.JOSEError) {
        throw AuthError.unauthorized(AuthErrorCode.TokenInvalid, 'The token is not valid here');
      }
      throw err;
    }
  }
}
