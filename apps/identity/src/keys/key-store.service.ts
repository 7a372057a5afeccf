import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { exportJWK, calculateJwkThumbprint, type JWK } from 'jose';
import type { EntityManager } from 'typeorm';
import { getLogger } from '#common';
import { FieldCrypto } from '../crypto/field-crypto.js';
import { SigningKeyRepository, type SigningKeyRow } from './signing-key.repository.js';

/** RS256 signs ID tokens (OIDC Core 15.1: every OP supports it); ES256 signs access tokens. */
export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/**
 * How long a retired key stays in the JWKS: longer than anything it signed lives (access
 * tokens 10 min, ID and logout tokens 1 h), with a margin for resource servers' caches.
 */
export const RETIRED_KEY_KEEP_SECONDS = 24 * 3600;

const PURPOSE = 'signing-key';
const log = getLogger('identity.keys');

export interface PublishedKeySet {
  /** Private JWKs for the provider: the active key of each alg first; others verify only. */
  keys: JWK[];
  /** Changes whenever a key is added, promoted or retired. */
  version: string;
}

/**
 * The provider's signing keys, generated once and kept in the database (private parts sealed
 * under MASTER_KEY), never per process. Rotation without downtime: a `next` key is published
 * in the JWKS one rotation ahead of signing with it; a retired key stays published until the
 * tokens it signed have expired.
 */
@Injectable()
export class KeyStoreService {
  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly crypto: FieldCrypto,
  ) {}

  /** Creates the first active and next key of each algorithm, once per database. */
  async ensureKeys(): Promise<void> {
    await this.repository.db.transaction(async (m) => {
      await this.repository.lock(m);
      const rows = await this.repository.listPublished(m);
      for (const alg of SIGNING_ALGS) {
        if (!rows.some((r) => r.alg === alg && r.state === 'active')) {
          await this.insertKey(m, alg, 'active');
        }
        if (!rows.some((r) => r.alg === alg && r.state === 'next')) {
          await this.insertKey(m, alg, 'next');
        }
      }
    });
  }

  /** Promotes the published `next` key of an algorithm to signing and publishes a new `next`. */
  async rotate(alg: SigningAlg): Promise<{ activeKid: string; nextKid: string }> {
    return this.repository.db.transaction(async (m) => {
      await this.repository.lock(m);
      const rows = await this.repository.listPublished(m);
      const next = rows.find((r) => r.alg === alg && r.state === 'next');
      await this.repository.retireActive(m, alg, RETIRED_KEY_KEEP_SECONDS);
      const activeKid = next
        ? (await this.repository.promote(m, next.kid), next.kid)
        : await this.insertKey(m, alg, 'active');
      const nextKid = await this.insertKey(m, alg, 'next');
      log.info({ alg, activeKid, nextKid }, 'signing key rotated');
      return { activeKid, nextKid };
    });
  }

  async published(): Promise<PublishedKeySet> {
    const rows = await this.repository.listPublished();
    const keys = rows.map((row) => this.toProviderJwk(row));
    const version = rows.map((r) => `${r.kid}:${r.state}`).join(',');
    return { keys, version };
  }

  async list(): Promise<Omit<SigningKeyRow, 'private_jwk_sealed'>[]> {
    const rows = await this.repository.listPublished();
    return rows.map(({ private_jwk_sealed: _sealed, ...rest }) => rest);
  }

  /** Cookie signing keys of the provider (Keygrip), created once per database. */
  async cookieKeys(): Promise<string[]> {
    return this.repository.db.transaction(async (m) => {
      const name = 'cookie-keys';
      let sealed = await this.repository.findSecret(m, name);
      if (!sealed) {
        const fresh = [randomBytes(32).toString('base64url')];
        await this.repository.insertSecret(m, name, this.crypto.seal(JSON.stringify(fresh), name));
        sealed = (await this.repository.findSecret(m, name))!;
      }
      return JSON.parse(this.crypto.open(sealed, name)) as string[];
    });
  }

  private toProviderJwk(row: SigningKeyRow): JWK {
    const jwk = JSON.parse(this.crypto.open(row.private_jwk_sealed, PURPOSE)) as JWK;
    // A key that is not active may verify but never sign (RFC 7517 4.3 key_ops).
    return row.state === 'active' ? jwk : { ...jwk, key_ops: ['verify'] };
  }

  private async insertKey(m: EntityManager, alg: SigningAlg, state: 'active' | 'next') {
    const { privateKey } =
      alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    const full: JWK = { ...jwk, kid, alg, use: 'sig' };
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = full;
    await this.repository.insert(m, {
      kid,
      alg,
      public_jwk: publicJwk,
      private_jwk_sealed: this.crypto.seal(JSON.stringify(full), PURPOSE),
      state,
    });
    return kid;
  }
}
