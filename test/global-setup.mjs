// Jest global setup: initialise one embedded data directory (PGlite's initdb takes seconds),
// which every test file then copies for a fresh database of its own. Not needed when the
// tests run on PostgreSQL (TEST_DATABASE_URL).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function globalSetup() {
  process.env.LOG_LEVEL ??= 'silent';
  if (process.env.TEST_DATABASE_URL) return;
  const template = join(tmpdir(), 'gov-suite-pglite-template');
  if (existsSync(join(template, 'PG_VERSION'))) return;
  const script = new URL('../libs/database/src/embedded/server.mjs', import.meta.url).pathname;
  const child = fork(script, [template], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise((resolve, reject) => {
    child.once('message', (m) => (m.url ? resolve() : reject(new Error(m.error))));
    child.once('exit', (code) => reject(new Error(`template database exited (${code})`)));
  });
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}
