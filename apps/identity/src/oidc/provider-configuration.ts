import { createHmac } from 'node:crypto';
import {
  errors,
  interactionPolicy,
  type ClientInstance,
  type Configuration,
  type KoaContextWithOIDC,
  type TokenLike,
} from 'oidc-provider';
import type { JWK } from 'jose';
import type { SuiteContext } from '#common';
import type { AssuranceLadder } from './assurance-levels.js';
import {
  renderErrorPage,
  renderLogoutPage,
  renderLogoutSuccessPage,
} from '../interaction/pages/provider-pages.js';
import {
  ACCESS_TOKEN_ALG,
  ACCESS_TOKEN_TTL,
  RESOURCE_SCOPES,
  resourceForScopes,
  resourceServers,
} from './resource-servers.js';
import type { TokenClaimsService } from './token-claims.service.js';

export interface ProviderDependencies {
  ctx: SuiteContext;
  adapter: unknown;
  keys: JWK[];
  cookieKeys: string[];
  claims: TokenClaimsService;
  ladder: AssuranceLadder;
  pairwiseKey: Buffer;
}

/** A grant (a person's consent to a client) lasts 14 days, like its refresh tokens. */
export const GRANT_TTL_SECONDS = 14 * 24 * 3600;

/** Paths of the provider's own endpoints under the issuer; everything else is Nest's. */
export const PROVIDER_PATH_PREFIXES = [
  'auth',
  'token',
  'jwks',
  'me',
  'session',
  'request',
  '.well-known',
];

/**
 * oidc-provider's configuration. Choices, each from the standard that asks for it:
 * - PKCE S256 for every client (RFC 9700 2.1.1), not only public ones;
 * - refresh tokens rotate on use and a reused one revokes its grant (RFC 9700 4.14.2);
 * - access tokens for the suite's resource servers are RFC 9068 JWTs whose `aud` is the
 *   resource indicator (RFC 8707); without a resource they are opaque, for userinfo only;
 * - pairwise subjects per client (OIDC Core 8.1);
 * - no development interactions: the sign-in pages are this service's.
 */
export function providerConfiguration(d: ProviderDependencies): Configuration {
  const servers = resourceServers(d.ctx);
  const oidcScopes = ['openid', 'offline_access', 'profile', 'email', 'phone', 'idcard', 'org'];
  const interactionBase = new URL(d.ctx.publicUrls.identity).pathname.replace(/\/$/, '');
  // A client gets only the resource scopes it is registered for; asked on every token
  // request, so the answer is kept per resource and registered scope string.
  const allowedByClientScope = new Map<string, string>();
  const allowedScopes = (indicator: string, offered: readonly string[], clientScope: string) => {
    const key = `${indicator} ${clientScope}`;
    let allowed = allowedByClientScope.get(key);
    if (allowed === undefined) {
      const registered = new Set(clientScope.split(' '));
      allowed = offered.filter((s) => registered.has(s)).join(' ');
      if (allowedByClientScope.size > 1000) allowedByClientScope.clear();
      allowedByClientScope.set(key, allowed);
    }
    return allowed;
  };

  return {
    adapter: d.adapter,
    clients: [],
    jwks: { keys: d.keys },
    cookies: {
      keys: d.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    findAccount: (ctx: KoaContextWithOIDC, sub: string, token?: TokenLike) =>
      d.claims.findAccount(ctx, sub, token),
    claims: {
      // acr, amr and auth_time ride on every ID token (OIDC Core 2): a client that asked
      // for a level (acr_values, max_age) must be able to check what it got.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      phone: ['phone_number'],
      idcard: ['id_document'],
      org: ['org'],
    },
    // Resource scopes are listed too: client metadata may only name scopes the server knows.
    scopes: [...oidcScopes, ...Object.values(RESOURCE_SCOPES).flat()],
    acrValues: d.ladder.levels.map((l) => l.acr),
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: (_ctx: unknown, accountId: string, client: ClientInstance) =>
      pairwiseSubject(d.pairwiseKey, accountId, client),
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
    },
    extraClientMetadata: {
      properties: ['first_party'],
      validator(_ctx: unknown, key: string, value: unknown, metadata: Record<string, unknown>) {
        if (key === 'first_party') metadata.first_party = value === true;
      },
    },
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    rotateRefreshToken: true,
    issueRefreshToken: (
      _ctx: unknown,
      client: { grantTypeAllowed(g: string): boolean },
      code: { scopes: Set<string> },
    ) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    extraTokenClaims: (ctx: KoaContextWithOIDC, token: TokenLike) =>
      d.claims.extraTokenClaims(ctx, token),
    ttl: {
      AccessToken: (_ctx: unknown, token: TokenLike) =>
        token.resourceServer ? ACCESS_TOKEN_TTL : 600,
      AuthorizationCode: 60,
      ClientCredentials: ACCESS_TOKEN_TTL,
      IdToken: 3600,
      Interaction: 1800,
      Session: 8 * 3600,
      Grant: GRANT_TTL_SECONDS,
      PushedAuthorizationRequest: 60,
      RefreshToken: 14 * 24 * 3600,
      BackchannelAuthenticationRequest: 600,
      DeviceCode: 600,
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) =>
        `${interactionBase}/interaction/${interaction.uid}`,
      policy: assurancePolicy(d.ladder),
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Only the client a token was issued to learns about it (RFC 7662 section 4: the
        // server decides who may introspect); resource servers verify JWTs locally instead.
        allowedPolicy: (ctx: KoaContextWithOIDC, client: ClientInstance, token: TokenLike) =>
          token.clientId === client.clientId,
      },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      backchannelLogout: { enabled: true },
      claimsParameter: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC & { body: string }, form: string) => {
          ctx.body = renderLogoutPage(ctx, form);
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC & { body: string }) => {
          ctx.body = renderLogoutSuccessPage(ctx);
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx: KoaContextWithOIDC, _client: unknown, oneOf?: string[]) => {
          if (oneOf) return oneOf;
          const scope = typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope : '';
          return resourceForScopes(servers, scope.split(' '));
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string, client: ClientInstance) => {
          const server = servers.get(indicator);
          if (!server) throw new errors.InvalidTarget!();
          return {
            scope: allowedScopes(indicator, server.scopes, client.scope ?? ''),
            audience: indicator,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
          };
        },
      },
    },
    renderError: (
      ctx: KoaContextWithOIDC & { type: string; body: string },
      out: Record<string, string>,
    ) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(ctx, out);
    },
  };
}

/** One sector per client unless it names a sector identifier URI (OIDC Core 8.1). */
export function pairwiseSubject(key: Buffer, accountId: string, client: ClientInstance): string {
  const sector = client.sectorIdentifierUri ? client.sectorIdentifier : client.clientId;
  return createHmac('sha256', key)
    .update(`${String(sector)}\0${accountId}`)
    .digest('base64url');
}

/**
 * The base policy plus a step-up check: when a client asks for a level (`acr_values`) above
 * the session's, the user is sent back to sign in for the missing evidence.
 */
function assurancePolicy(ladder: AssuranceLadder) {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.add(
    new interactionPolicy.Check(
      'acr_step_up',
      'a higher authentication assurance level is required',
      (ctx: KoaContextWithOIDC) => {
        const required = ladder.required(ctx.oidc.params?.acr_values as string | undefined);
        if (!required) return false;
        return ladder.rank(ctx.oidc.session?.acr) < ladder.rank(required.acr);
      },
    ),
  );
  return policy;
}
