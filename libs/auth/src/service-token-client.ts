import { createHmac } from 'node:crypto';
import * as oidc from 'openid-client';
import { getLogger, type ServiceName, type SuiteContext } from '#common';
import { AuthError, AuthErrorCode } from './auth-error.js';

/** The OIDC client id of a service's own client (client credentials). */
export function serviceClientId(service: ServiceName): string {
  return `svc-${service}`;
}

/**
 * The secret of a service's own client: `SERVICE_CLIENT_SECRET_<SERVICE>` when set, else
 * derived from the master key, so that one deployment needs no extra secret to share.
 */
export function serviceClientSecret(ctx: SuiteContext, service: ServiceName): string {
  const variable = `SERVICE_CLIENT_SECRET_${service.replace('-', '_').toUpperCase()}`;
  const configured = process.env[variable];
  if (configured) return configured;
  return createHmac('sha256', ctx.masterKey).update(`service-client:${service}`).digest('hex');
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Access tokens for calls from one service to another, by client credentials with a resource
 * indicator (RFC 8707). Each (audience, scopes) token is cached until 60 s before it expires,
 * and concurrent callers share one request.
 *
 * @example
 *   const tokens = new ServiceTokenClient(ctx, 'e-license');
 *   const bearer = await tokens.getToken('e-seal', ['seal:apply']);
 */
export class ServiceTokenClient {
  private readonly config: oidc.Configuration;
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();
  private readonly log = getLogger('service-token');

  constructor(
    private readonly ctx: SuiteContext,
    self: ServiceName,
  ) {
    // The token endpoint is reached at the internal URL, while the issuer stays the public one.
    this.config = new oidc.Configuration(
      {
        issuer: ctx.publicUrls.identity,
        token_endpoint: `${ctx.serviceUrls.identity}/token`,
      },
      serviceClientId(self),
      undefined,
      oidc.ClientSecretBasic(serviceClientSecret(ctx, self)),
    );
    if (ctx.serviceUrls.identity.startsWith('http:')) oidc.allowInsecureRequests(this.config);
  }

  async getToken(audience: ServiceName, scopes: string[]): Promise<string> {
    const key = `${audience} ${[...scopes].sort().join(' ')}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    let p = this.pending.get(key);
    if (!p) {
      p = this.fetch(audience, scopes, key).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  /** Forgets a token the audience refused (e.g. after a key rotation). */
  invalidate(audience: ServiceName, scopes: string[]): void {
    this.cache.delete(`${audience} ${[...scopes].sort().join(' ')}`);
  }

  private async fetch(audience: ServiceName, scopes: string[], key: string): Promise<string> {
    try {
      const res = await oidc.clientCredentialsGrant(this.config, {
        scope: scopes.join(' '),
        resource: this.ctx.publicUrls[audience],
      });
      const lifetime = (res.expires_in ?? 300) * 1000;
      this.cache.set(key, {
        token: res.access_token,
        expiresAt: Date.now() + Math.max(lifetime - 60_000, lifetime / 2),
      });
      return res.access_token;
    } catch (err) {
      this.log.error({ err, audience }, 'service token request failed');
      throw new AuthError(
        AuthErrorCode.ServiceTokenUnavailable,
        503,
        `Could not obtain a token for ${audience}`,
      );
    }
  }
}
