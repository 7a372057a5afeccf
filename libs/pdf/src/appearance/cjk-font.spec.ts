import { PdfErrorCode } from '../errors.js';
import { loadCjkFont } from './cjk-font.js';
import { hollowTrueType } from './truetype-subset.js';

describe('loadCjkFont', () => {
  test('names the missing file when CJK_FONT_PATH points nowhere', () => {
    expect(() => loadCjkFont({ CJK_FONT_PATH: '/nonexistent/font.ttf' })).toThrow(
      expect.objectContaining({
        code: PdfErrorCode.FontNotFound,
        message: expect.stringContaining('/nonexistent'),
      }),
    );
  });

  test('finds a TrueType CJK font on this machine and hollows it to the glyphs in use', () => {
    let font: Buffer;
    try {
      font = loadCjkFont().bytes;
    } catch {
      console.warn('skipped: no CJK font installed (fonts-droid-fallback)');
      return;
    }
    const small = hollowTrueType(font, '电子印章');
    expect(small.length).toBeLessThan(font.length / 4);
    expect(small.readUInt32BE(0)).toBe(0x00010000);
  });
});
