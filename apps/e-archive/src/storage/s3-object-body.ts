import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * GetObject's body as a Node stream. Under Node the SDK answers an `IncomingMessage` (a
 * Readable, with the SDK's helpers mixed in); a custom request handler or another runtime's
 * handler answers a web `ReadableStream` or a `Blob` instead, which `for await` over a Node
 * stream cannot read. Never buffered: objects are up to the upload limit and fixity streams
 * every one of them.
 */
export function objectBodyStream(body: unknown): Readable {
  if (body instanceof Readable) return body;
  if (body instanceof ReadableStream) return Readable.fromWeb(body as WebReadableStream);
  if (body instanceof Blob) return Readable.fromWeb(body.stream() as WebReadableStream);
  if (body instanceof Uint8Array) return Readable.from([Buffer.from(body)]);
  // No body at all is a broken answer, not an empty object (that still comes as a stream):
  // an empty stream here would make fixity report a changed object that may be intact.
  throw new Error('S3 GetObject answered no readable body');
}
