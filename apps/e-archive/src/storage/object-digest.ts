import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * SHA-256 (the blob address) and SM3 (GB/T 32905-2016, what Chinese archival practice
 * records) of a file, computed at ingest.
 */
export function digestObject(bytes: Buffer): { sha256: string; sm3: string } {
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sm3: createHash('sm3').update(bytes).digest('hex'),
  };
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
