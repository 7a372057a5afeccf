import type { ServiceName, SuiteContext } from '#common';

/** Scopes of each resource server (docs/INTEGRATION.md "Scopes"). */
export const RESOURCE_SCOPES: Record<ServiceName, readonly string[]> = {
  identity: ['identity:admin'],
  'e-seal': ['seal:read', 'seal:manage', 'seal:approve', 'seal:apply'],
  'e-license': ['license:admin', 'license:issue', 'license:holder', 'license:read'],
  'e-archive': ['archive:ingest', 'archive:read', 'archive:dispose', 'archive:admin'],
};

/** Access tokens for resource servers live ten minutes: short enough to need no revocation list. */
export const ACCESS_TOKEN_TTL = 600;

/** Access tokens are signed with ES256 (fast to sign and verify, small). */
export const ACCESS_TOKEN_ALG = 'ES256';

export interface ResourceServer {
  service: ServiceName;
  indicator: string;
  scopes: readonly string[];
}

/**
 * The suite's resource servers, keyed by their resource indicator (RFC 8707): the public base
 * URL of each service, which is also the `aud` of its access tokens (RFC 9068).
 */
export function resourceServers(ctx: SuiteContext): Map<string, ResourceServer> {
  const out = new Map<string, ResourceServer>();
  for (const [service, scopes] of Object.entries(RESOURCE_SCOPES) as [ServiceName, string[]][]) {
    const indicator = ctx.publicUrls[service];
    out.set(indicator, { service, indicator, scopes });
  }
  return out;
}

/** The one resource server all of these scopes belong to, if exactly one. */
export function resourceForScopes(
  servers: Map<string, ResourceServer>,
  scopes: string[],
): string | undefined {
  const found = new Set<string>();
  for (const scope of scopes) {
    for (const server of servers.values()) {
      if (server.scopes.includes(scope)) found.add(server.indicator);
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}
