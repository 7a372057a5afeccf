import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { sha256Of, sha256OfStream } from './object-digest.js';
import { objectBodyStream } from './s3-object-body.js';

describe('objectBodyStream', () => {
  const bytes = randomBytes(200_000);

  it('passes a Node stream through as it is', () => {
    const body = new PassThrough();
    expect(objectBodyStream(body)).toBe(body);
  });

  it('reads a web ReadableStream as a Node stream, every byte', async () => {
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, 1000));
        c.enqueue(bytes.subarray(1000));
        c.close();
      },
    });
    const stream = objectBodyStream(web);
    expect(stream).toBeInstanceOf(Readable);
    expect(await sha256OfStream(stream)).toEqual({ sha256: sha256Of(bytes), bytes: bytes.length });
  });

  it('reads a Blob and a plain Uint8Array', async () => {
    expect((await sha256OfStream(objectBodyStream(new Blob([bytes])))).sha256).toBe(
      sha256Of(bytes),
    );
    expect((await sha256OfStream(objectBodyStream(new Uint8Array(bytes)))).sha256).toBe(
      sha256Of(bytes),
    );
  });

  it('refuses a missing body instead of answering an empty object', () => {
    expect(() => objectBodyStream(undefined)).toThrow('no readable body');
    expect(() => objectBodyStream('text')).toThrow('no readable body');
  });
});
