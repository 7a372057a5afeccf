import * as oidc from 'openid-client';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { DataSource } from 'typeorm';
import { startTestSuite, type TestSuite } from '../../../test/support/test-suite.js';
import { KeyRotationService } from './keys/key-rotation.service.js';
import { KeyStoreService } from './keys/key-store.service.js';
import { ProviderHost } from './oidc/provider-host.service.js';
import { demoBusinessConfig } from './testing/relying-party.js';

/**
 * Rotation without a gap (RFC 7517 key sets, RFC 9068 5: resource servers verify with the
 * published keys): the next key is published before it signs, the old one stays published
 * after it stops signing, until its `remove_after`.
 */
describe('signing-key rotation as seen in /jwks', () => {
  let t: TestSuite;
  let config: oidc.Configuration;

  beforeAll(async () => {
    t = await startTestSuite({ DEMO_DATA: 'true' });
    config = await demoBusinessConfig(t.ctx.publicUrls.identity);
  });
  afterAll(() => t.stop());

  const jwks = async () =>
    (await (await fetch(t.url('identity', '/jwks'))).json()) as JSONWebKeySet;
  const kids = async () => (await jwks()).keys.map((k) => k.kid);
  const token = async () =>
    (
      await oidc.clientCredentialsGrant(config, {
        scope: 'license:read',
        resource: t.ctx.publicUrls['e-license'],
      })
    ).access_token;
  const keyOf = async (alg: string, state: string) =>
    (await t.suite.apps.identity.get(KeyStoreService).list()).find(
      (k) => k.alg === alg && k.state === state,
    )!.kid;

  it('publishes the next key before it signs, and keeps the old key until its removal time', async () => {
    const oldActive = await keyOf('ES256', 'active');
    const next = await keyOf('ES256', 'next');
    expect(await kids()).toEqual(expect.arrayContaining([oldActive, next]));
    const before = await token();
    expect(decodeProtectedHeader(before).kid).toBe(oldActive);

    const { activeKid, nextKid } = await t.suite.apps.identity
      .get(KeyRotationService)
      .rotate('ES256', 'test');
    expect(activeKid).toBe(next);
    const after = await token();
    expect(decodeProtectedHeader(after).kid).toBe(next);

    // Old, current and new next key all published; a token of each signing key verifies.
    const published = await jwks();
    expect(published.keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([oldActive, next, nextKid]),
    );
    const local = createLocalJWKSet(published);
    const audience = t.ctx.publicUrls['e-license'];
    await expect(jwtVerify(before, local, { audience })).resolves.toBeDefined();
    await expect(jwtVerify(after, local, { audience })).resolves.toBeDefined();

    // Once the retired key's time is up it leaves the key set.
    await t.suite.apps.identity
      .get(DataSource)
      .query(
        `UPDATE identity.signing_key SET remove_after = now() - interval '1 second' WHERE kid = $1`,
        [oldActive],
      );
    await t.suite.apps.identity.get(ProviderHost).reload();
    const later = await kids();
    expect(later).not.toContain(oldActive);
    expect(later).toEqual(expect.arrayContaining([next, nextKid]));
  });

  it('publishes a next key for each signing algorithm, and signs with the active one', async () => {
    const published = await kids();
    for (const alg of ['RS256', 'ES256']) {
      expect(published).toContain(await keyOf(alg, 'next'));
    }
    expect(decodeProtectedHeader(await token()).kid).not.toBe(await keyOf('ES256', 'next'));
  });
});
