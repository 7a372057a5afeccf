import { createReadStream } from 'node:fs';
import { link, mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { assertAddress, BlobNotFound, type BlobStore } from './blob-store.js';

/**
 * Blobs as files under `<root>/sha256/ab/cd/<address>`. A write goes to a temporary file,
 * is fsynced, then hard-linked into place: link(2) fails when the name exists, so an object is
 * never overwritten, and a crash leaves either the whole object or none under its address.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;

  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    assertAddress(sha256);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, bytes: Buffer): Promise<{ created: boolean }> {
    const target = this.pathOf(sha256);
    if (await this.exists(sha256)) return { created: false };

    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(join(target, '..'), { recursive: true });
    const tmp = join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    const fh = await open(tmp, 'wx', 0o444);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return { created: false };
    } finally {
      await unlink(tmp);
    }
    await syncDirectory(join(target, '..'));
    return { created: true };
  }

  async open(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    if (!(await this.exists(sha256))) throw new BlobNotFound(sha256);
    return createReadStream(path, { highWaterMark: 1 << 20 });
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<string> {
    const base = join(this.root, 'sha256');
    for (const a of await readdirOrEmpty(base)) {
      for (const b of await readdirOrEmpty(join(base, a))) {
        for (const name of await readdirOrEmpty(join(base, a, b))) yield name;
      }
    }
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** The new name is durable only once its directory entry is on disk. */
async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
