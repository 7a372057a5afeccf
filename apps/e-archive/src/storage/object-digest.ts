import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** SHA-256 of a file: its blob address. (SM3 is computed beside it: sm3-worker.ts.) */
export function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of a stream, for fixity; also returns how many bytes were read. */
export async function sha256OfStream(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
