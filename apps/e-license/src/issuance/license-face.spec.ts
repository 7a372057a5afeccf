import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQRModule from 'jsqr';
import { demoLayout } from '../demo/demo-catalogue.js';
import { renderLicenseFace } from './license-face.js';

// jsqr is CommonJS (module.exports = jsQR) typed as `export default`: under NodeNext the
// default import is typed as the module object, although it is the function itself.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

describe('the license face', () => {
  it('prints CJK text that pdftotext reads back, in a small PDF', async () => {
    const pdf = await renderLicenseFace(demoLayout, {
      title: '居民证明',
      values: {
        $holderName: '张小三',
        address: '福州市鼓楼区八一七北路1号',
        $licenseNumber: '350100202612030001',
      },
      identifier: '1.2.156.3005.2.11100000000013338W011.11110000000021135M.20230329701.003.Y',
      verificationCode: 'ABCD2345',
      verifyUrl: 'http://localhost/e-license/verify/x?code=ABCD2345',
      metadata: { subject: 's', keywords: ['k'], author: 'a' },
      annotation: ['仅供办理入学使用 For school enrolment only'],
    });
    const dir = mkdtempSync(join(tmpdir(), 'face-'));
    writeFileSync(join(dir, 'f.pdf'), pdf);
    const text = execFileSync('pdftotext', [join(dir, 'f.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('居民证明');
    expect(text).toContain('张小三');
    expect(text).toContain('ABCD2345');
    expect(text).toContain('仅供办理入学使用');
    expect(pdf.length).toBeLessThan(400_000);
  });

  it('carries a QR code that a reader decodes to the verification page', async () => {
    const verifyUrl =
      'https://gov.example/e-license/verify/1.2.156.3005.2.11100000000013338W011.11110000000021135M.20230329701.003.Y?code=ABCD2345';
    const pdf = await renderLicenseFace(demoLayout, {
      title: '居民证明',
      values: { $holderName: '张小三' },
      identifier: 'x',
      verificationCode: 'ABCD2345',
      verifyUrl,
      metadata: { subject: 's', keywords: ['k'], author: 'a' },
    });
    const dir = mkdtempSync(join(tmpdir(), 'face-'));
    writeFileSync(join(dir, 'f.pdf'), pdf);
    // poppler rasterises the page (grey, binary PGM); jsQR reads it as a phone camera would.
    execFileSync('pdftoppm', [
      '-r',
      '150',
      '-gray',
      '-singlefile',
      join(dir, 'f.pdf'),
      join(dir, 'p'),
    ]);
    const pgm = readFileSync(join(dir, 'p.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40))!;
    const [width, height] = [Number(header[1]), Number(header[2])];
    const grey = pgm.subarray(header[0].length);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba.set([grey[i]!, grey[i]!, grey[i]!, 255], i * 4);
    }
    expect(jsQR(rgba, width, height)?.data).toBe(verifyUrl);
  });
});
