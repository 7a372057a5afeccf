import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** clamd of the clamav-daemon package, when installed. */
export const CLAMD = ['/usr/sbin/clamd', '/usr/bin/clamd'].find((p) => existsSync(p));

export interface TestClamd {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a real clamd of our own (freshclam cannot reach its mirror here): in the foreground,
 * on 127.0.0.1:`port`, with a database directory holding only the given hash signatures
 * (`.hdb`: `md5:size:name`, clamav's signatures.md), and waits until it answers PING.
 */
export async function startClamd(
  port: number,
  signatures: { name: string; bytes: Buffer }[],
): Promise<TestClamd> {
  if (!CLAMD) throw new Error('clamd is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'clamd-'));
  mkdirSync(join(dir, 'db'));
  const hdb = signatures.map(
    (s) => `${createHash('md5').update(s.bytes).digest('hex')}:${s.bytes.length}:${s.name}\n`,
  );
  writeFileSync(join(dir, 'db', 'archive-test.hdb'), hdb.join(''));
  writeFileSync(
    join(dir, 'clamd.conf'),
    [
      'Foreground yes',
      `DatabaseDirectory ${join(dir, 'db')}`,
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `LogFile ${join(dir, 'clamd.log')}`,
      `PidFile ${join(dir, 'clamd.pid')}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(CLAMD, ['-c', join(dir, 'clamd.conf')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  while ((await ping(port)) !== 'PONG') {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`clamd did not start (exit ${child.exitCode}); see clamd.log`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function ping(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('zPING\0'));
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.on('error', () => resolve(''));
    socket.on('close', () => resolve(reply.replace(/\0/g, '').trim()));
  });
}
