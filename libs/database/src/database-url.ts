import { join } from 'node:path';
import type { SuiteContext } from '#common';
import { startEmbeddedDatabase } from './embedded/embedded-database.js';

/**
 * The PostgreSQL URL a service connects to: DATABASE_URL when set, else the embedded database
 * under DATA_DIR (one per process mode: the whole suite shares one, a service run alone has
 * its own). Tests may override with `databaseUrl` on the context.
 */
export async function resolveDatabaseUrl(ctx: SuiteContext): Promise<string> {
  if (ctx.databaseUrl) return ctx.databaseUrl;
  if (ctx.config.DATABASE_URL) return ctx.config.DATABASE_URL;
  const db = await startEmbeddedDatabase({
    dataDir: join(ctx.dataDir, `pglite-${ctx.embeddedDatabase}`),
  });
  return db.url;
}
