import { inflateSync } from 'node:zlib';
import { deflatedFaceFont, faceFont } from './face-font.js';

describe('the face font', () => {
  it('comes with a FlateDecode stream that inflates, checksum checked, to its bytes', () => {
    const bytes = faceFont('居住证明张小三福州市鼓楼区');

    const stream = deflatedFaceFont(bytes)!;

    expect(inflateSync(stream).equals(bytes)).toBe(true);
    expect(stream.length).toBeLessThan(bytes.length / 4);
  });

  it('keeps a valid table directory: every record inside the file, checksums as written', () => {
    const bytes = faceFont('电子证照');

    for (let i = 0; i < bytes.readUInt16BE(4); i++) {
      const rec = 12 + i * 16;
      const [sum, offset, length] = [8, 12, 16].map((o) => bytes.readUInt32BE(rec + o - 4));
      expect(offset! + length!).toBeLessThanOrEqual(bytes.length);
      let s = 0;
      for (let j = offset!; j < offset! + ((length! + 3) & ~3); j += 4) {
        s = (s + bytes.readUInt32BE(j)) >>> 0;
      }
      expect(s).toBe(sum);
    }
  });
});
