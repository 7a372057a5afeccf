// The embedded database server: PGlite (PostgreSQL compiled to WebAssembly) served over the
// PostgreSQL wire protocol on a loopback port. Runs as a child process of the suite so that
// its memory (about 350 MB of WebAssembly) is not the services' and a crash stays its own.
// Started by embedded-database.ts through fork(): reports {url} over IPC, and exits when
// its parent goes away.
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { PGLiteSocketHandler, PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import {
  handleDataInOrder,
  keepProtocolSequencesTogether,
} from './protocol-sequence-queue.mjs';

const [dataDir, template] = process.argv.slice(2);

try {
  if (dataDir && template && !existsSync(dataDir) && existsSync(template)) {
    cpSync(template, dataDir, { recursive: true });
  }
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({
    dataDir: dataDir || undefined,
    extensions: { uuid_ossp, pgcrypto, pg_trgm },
  });
  await db.exec(
    'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"; CREATE EXTENSION IF NOT EXISTS pgcrypto; ' +
      'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
  );
  // Queries of many connections are queued; a connection's protocol sequence and its
  // transaction run without interleaving (see protocol-sequence-queue.mjs), so
  // transactions are serialised, hence isolated.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 500 });
  if (!server.queryQueue) throw new Error('pglite-socket changed: no queryQueue to patch');
  keepProtocolSequencesTogether(server.queryQueue, db);
  handleDataInOrder(PGLiteSocketHandler);
  await server.start();

  const stop = async () => {
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.send?.({ url: `postgres://postgres@${server.getServerConn()}/postgres` });
} catch (err) {
  process.send?.({ error: String(err?.stack ?? err) });
  process.exit(1);
}
