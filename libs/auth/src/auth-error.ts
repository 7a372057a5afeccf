import { DomainError } from '#common';

export enum AuthErrorCode {
  TokenMissing = 'TokenMissing',
  TokenInvalid = 'TokenInvalid',
  TokenExpired = 'TokenExpired',
  InsufficientScope = 'InsufficientScope',
  RoleRequired = 'RoleRequired',
  UnitMissing = 'UnitMissing',
  ServiceTokenUnavailable = 'ServiceTokenUnavailable',
}

export class AuthError extends DomainError<AuthErrorCode> {
  static unauthorized(code: AuthErrorCode, message: string): AuthError {
    const err = new AuthError(code, 401, message);
    // RFC 6750 section 3: tell the client how to authenticate and what went wrong.
    err.headers = {
      'WWW-Authenticate':
        code === AuthErrorCode.TokenMissing
          ? 'Bearer'
          : `Bearer error="invalid_token", error_description="${message}"`,
    };
    return err;
  }

  static insufficientScope(scopes: string[]): AuthError {
    const err = new AuthError(
      AuthErrorCode.InsufficientScope,
      403,
      'The token lacks a required scope',
      {
        requiredScopes: scopes,
      },
    );
    err.headers = {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"`,
    };
    return err;
  }
}
