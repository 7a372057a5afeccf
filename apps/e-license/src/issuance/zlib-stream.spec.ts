import { randomBytes } from 'node:crypto';
import { adler32, deflateSegment, zlibStream } from './zlib-stream.js';
import { deflateSync, inflateSync } from 'node:zlib';

describe('a zlib stream of segments compressed apart', () => {
  it('inflates, checksum checked, to the concatenation of the segments', () => {
    const fixed = Buffer.alloc(300_000, 'hmtx');
    const parts = [
      randomBytes(250),
      deflateSegment(fixed, 9),
      Buffer.alloc(200_000, 7),
      randomBytes(3),
    ];

    const stream = zlibStream(parts);

    const whole = Buffer.concat([
      parts[0] as Buffer,
      fixed,
      parts[2] as Buffer,
      parts[3] as Buffer,
    ]);
    expect(inflateSync(stream).equals(whole)).toBe(true);
  });

  it('computes Adler-32 as zlib does', () => {
    const data = randomBytes(70_000);

    expect(adler32(data)).toBe(deflateSync(data).readUInt32BE(deflateSync(data).length - 4));
  });

  it('makes a valid stream of nothing', () => {
    expect(inflateSync(zlibStream([])).length).toBe(0);
  });
});
