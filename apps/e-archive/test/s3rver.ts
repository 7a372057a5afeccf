import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** s3rver's fixed credentials: it checks SigV4 signatures made with them. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3rver {
  /** `http://127.0.0.1:<port>`, for path-style requests. */
  endpoint: string;
  /** Where s3rver keeps the buckets: `<directory>/<bucket>/<key>._S3rver_object`. */
  directory: string;
  stop(): Promise<void>;
}

// Runs in the child: s3rver on 127.0.0.1, port 0, answers its port on stdout.
const SERVER = `
const [, modulePath, directory, ...buckets] = process.argv;
const S3rver = require(modulePath);
const server = new S3rver({
  address: '127.0.0.1', port: 0, directory, silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.run().then(
  (a) => process.stdout.write(JSON.stringify({ port: a.port }) + '\\n'),
  (e) => { console.error(e); process.exit(1); },
);
process.on('SIGTERM', () => {
  server.httpServer.closeAllConnections();
  server.close().then(() => process.exit(0));
});`;

/**
 * Starts a real S3-protocol server (npm s3rver 3.7.1) in a child process, on a fresh
 * temporary directory with the given buckets. A child because s3rver's ListObjectsV2
 * continuation tokens are DES-encrypted, a cipher OpenSSL 3 offers only in its legacy
 * provider: without `--openssl-legacy-provider` every truncated listing answers 500.
 */
export async function startS3rver(buckets: string[]): Promise<TestS3rver> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const modulePath = createRequire(join(process.cwd(), 'package.json')).resolve('s3rver');
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', SERVER, modulePath, directory, ...buckets],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));

  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve((JSON.parse(out) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}): ${stderr}`)));
  }).catch((e: unknown) => {
    rmSync(directory, { recursive: true, force: true });
    throw e;
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
