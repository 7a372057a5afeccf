import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of one `openssl` run: exit status and both streams, for assertions in tests. */
export interface OpensslResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the openssl CLI in a scratch directory holding `files`; arguments may name those files.
 * Test code only: the reference implementation our output must satisfy.
 *
 * @example
 * const r = runOpenssl(['verify', '-CAfile', 'root.pem', 'leaf.pem'], { 'root.pem': pem, ... });
 */
export function runOpenssl(
  args: string[],
  files: Record<string, string | Uint8Array>,
): OpensslResult {
  const dir = mkdtempSync(join(tmpdir(), 'pki-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    return { status: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
