import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { getLogger } from '#common';

/**
 * An embedded PostgreSQL-compatible database (PGlite behind the PostgreSQL wire protocol,
 * in a child process), so that every service uses the ordinary `pg` driver and pool.
 *
 * Why not typeorm-pglite: it hands every query runner the same PGlite session, so concurrent
 * transactions interleave silently. The socket server serialises transactions instead.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const running = new Map<string, Promise<EmbeddedDatabase>>();

export interface EmbeddedDatabaseOptions {
  /** Where the data lives; undefined keeps it in memory. */
  dataDir?: string;
  /** A data directory to copy from when dataDir does not exist yet (tests). */
  template?: string;
}

/** Starts (once per process and directory) an embedded database server. */
export function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const key = options.dataDir ?? `memory:${running.size}`;
  let db = running.get(key);
  if (!db) {
    db = spawnServer(options);
    running.set(key, db);
    db.catch(() => running.delete(key));
  }
  return db;
}

/** Stops every embedded database this process started. */
export async function stopEmbeddedDatabases(): Promise<void> {
  const all = [...running.values()];
  running.clear();
  await Promise.all(all.map(async (db) => (await db).stop()));
}

function spawnServer(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = getLogger('database');
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const args = [options.dataDir ?? '', options.template ?? ''];
  const child: ChildProcess = fork(script, args, {
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });

  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`embedded database exited before it was ready (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (msg: { url?: string; error?: string }) => {
      child.off('exit', onExit);
      if (!msg.url) {
        reject(new Error(`embedded database failed: ${msg.error ?? 'unknown error'}`));
        return;
      }
      log.info({ dataDir: options.dataDir ?? 'memory', pid: child.pid }, 'embedded database ready');
      // The child must not keep this process alive on its own.
      child.unref();
      child.channel?.unref();
      resolve({
        url: msg.url,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
