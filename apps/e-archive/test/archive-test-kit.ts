import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { ServiceTokenClient, TestTokenIssuer, type Caller, type RoleAssignment } from '#auth';
import { createSuiteContext } from '#common';
import { createTestDatabase } from '#database';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startSuite } from '../../suite/src/suite.js';
import { createEArchiveApp } from '../src/app.js';
import { freePort, type TestSuite } from '../../../test/support/test-suite.js';
import { BLOB_STORE, type BlobStore } from '../src/storage/blob-store.js';
import { LocalBlobStore } from '../src/storage/local-blob-store.js';

export const CORPUS = join(process.cwd(), '..', 'shared', 'corpus', 'pdf');

export function corpusFile(name: string): Buffer {
  return readFileSync(join(CORPUS, name));
}

export interface ArchiveKit extends Omit<TestSuite, 'suite'> {
  archive: INestApplicationContext;
  /** A token of e-license's own client from identity (archive:ingest, archive:read). */
  systemToken(): Promise<string>;
  /** A client-credentials token of a business system of these tests (test issuer). */
  clientToken(clientId: string, fonds?: string): Promise<string>;
  /** A token of a person of these tests (test issuer), with roles for fonds. */
  personToken(sub: string, scopes: string[], roles: RoleAssignment[]): Promise<string>;
  ingest(file: Buffer, metadata: Record<string, unknown>, token?: string): Promise<Response>;
  api(path: string, token: string, init?: { method?: string; body?: unknown }): Promise<Response>;
}

/** Where the running archive's local store keeps an object (for tests that alter or check it). */
export function blobPath(kit: ArchiveKit, sha256: string): string {
  const store = kit.archive.get<BlobStore>(BLOB_STORE);
  if (!(store instanceof LocalBlobStore)) throw new Error('the archive is not on the local store');
  return store.pathOf(sha256);
}

/**
 * startTestSuite (test/support) with one addition, as e-license's tests do: e-archive also
 * accepts tokens of a test issuer (kid `test`), so that tests can act as archivists without
 * identity's sign-in pages. Business systems use identity's real client-credentials tokens,
 * and e-archive's own calls to e-seal go through identity as in production.
 */
export async function startArchiveKit(
  options: { alone?: boolean; env?: Record<string, string> } = {},
): Promise<ArchiveKit> {
  const db = await createTestDatabase();
  // The suite's tests ingest as e-license's client under the test source system `oa`.
  const env = options.alone
    ? options.env
    : { ARCHIVE_SOURCE_SYSTEMS: 'svc-e-license=e-license|oa', ...options.env };
  const port = await freePort();
  const ctx = createSuiteContext(options.alone ? 'e-archive' : 'suite', {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/gov-suite-test-data-${port}`,
    MASTER_KEY: '00'.repeat(31) + '01',
    ...options.env,
  });
  ctx.databaseUrl = db.url;
  const issuer = await TestTokenIssuer.create();
  const identity = createRemoteJWKSet(new URL(`${ctx.serviceUrls.identity}/jwks`));
  const keys: JWTVerifyGetKey = (header, token) =>
    header.kid === 'test' ? issuer.keys(header, token) : identity(header, token);
  ctx.authKeys = options.alone ? issuer.keys : keys;
  let archive: NestExpressApplication;
  let close: () => Promise<void>;
  let systemToken: () => Promise<string>;
  if (options.alone) {
    // e-archive alone: every token from the test issuer; e-seal is not there.
    archive = await withProcessEnv(env, () => createEArchiveApp(ctx));
    await archive.listen(port, '127.0.0.1');
    close = () => archive.close();
    systemToken = () =>
      issuer.token(ctx, 'e-archive', {
        // client_id = sub: the source system `oa` of metadataFor.
        sub: 'oa',
        scopes: ['archive:ingest'],
        roles: [{ role: 'archive:ingest', unit: '*' }],
      });
  } else {
    const suite = await withProcessEnv(env, () => startSuite(ctx));
    archive = suite.apps['e-archive'];
    close = () => suite.close();
    const tokens = new ServiceTokenClient(ctx, 'e-license');
    systemToken = () => tokens.getToken('e-archive', ['archive:ingest', 'archive:read']);
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const url = (service: string, path: string) => `${baseUrl}/${service}${path}`;
  return {
    ctx,
    db,
    baseUrl,
    url,
    archive,
    systemToken,
    clientToken: (clientId, fonds = '*') =>
      issuer.token(ctx, 'e-archive', {
        sub: clientId,
        scopes: ['archive:ingest'],
        roles: [{ role: 'archive:ingest', unit: fonds }],
      }),
    personToken: (sub, scopes, roles) =>
      issuer.token(ctx, 'e-archive', { sub, clientId: 'archive-console', scopes, roles }),
    async ingest(file, metadata, token) {
      const body = new FormData();
      body.append('file', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'a.pdf');
      body.append('metadata', JSON.stringify(metadata));
      return fetch(url('e-archive', '/v1/records'), {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token ?? (await systemToken())}` },
      });
    },
    async api(path, token, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(url('e-archive', path), {
        method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
        headers,
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      });
    },
    async stop() {
      await close();
      await db.drop();
    },
  };
}

/**
 * e-archive reads its own variables (archive-variables.ts: CLAMD_HOST, ...) from process.env
 * when its module starts, not from the suite context: set them for that moment only.
 */
async function withProcessEnv<T>(
  env: Record<string, string> | undefined,
  start: () => Promise<T>,
): Promise<T> {
  const saved = Object.keys(env ?? {}).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env);
  try {
    return await start();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

let sequence = 0;

/** Valid DA/T 46 metadata for a one-page corpus file, with a fresh source id. */
export function metadataFor(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    fondsCode: 'J001',
    category: 'WS',
    year: 2025,
    retention: 'D10',
    organisation: 'BGS',
    title: '关于优化营商环境的通知',
    documentNumber: `示政办发〔2025〕${sequence}号`,
    creator: '示例市人民政府办公室',
    date: '2025-03-18',
    pageCount: 1,
    openness: '内部',
    sourceSystem: 'oa',
    sourceId: `OA-${Date.now()}-${sequence}`,
    ...overrides,
  };
}

/** An archivist of a fonds, for calling services directly. */
export function archivist(sub: string, fonds = 'J001'): Caller {
  return {
    kind: 'person',
    sub,
    clientId: 'archive-console',
    scopes: ['archive:read', 'archive:dispose'],
    roles: ['archive:read', 'archive:dispose'].map((role) => ({ role, unit: fonds })),
  };
}
