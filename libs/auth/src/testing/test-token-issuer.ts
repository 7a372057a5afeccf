import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { ServiceName, SuiteContext } from '#common';
import type { RoleAssignment } from '../caller.js';

/**
 * Signs access tokens for tests of ONE service run alone (set `ctx.authKeys = issuer.keys`).
 * End-to-end tests use identity's real tokens instead.
 */
export class TestTokenIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly keys: JWTVerifyGetKey,
    /** The public key as a JWK Set, for a service in another process to fetch as identity's. */
    readonly jwks: { keys: JWK[] },
  ) {}

  static async create(): Promise<TestTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' }] };
    return new TestTokenIssuer(privateKey, createLocalJWKSet(jwks), jwks);
  }

  async token(
    ctx: SuiteContext,
    audience: ServiceName,
    claims: {
      sub: string;
      clientId?: string;
      scopes: string[];
      roles?: RoleAssignment[];
      org?: { uscc: string; name: string };
      idDocument?: { type: string; number: string };
      expiresIn?: string;
    },
  ): Promise<string> {
    return new SignJWT({
      client_id: claims.clientId ?? claims.sub,
      scope: claims.scopes.join(' '),
      roles: claims.roles ?? [],
      org: claims.org,
      id_document: claims.idDocument,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'test', typ: 'at+jwt' })
      .setSubject(claims.sub)
      .setIssuer(ctx.publicUrls.identity)
      .setAudience(ctx.publicUrls[audience])
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .setExpirationTime(claims.expiresIn ?? '5m')
      .sign(this.privateKey);
  }
}
