import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoLayout } from '../demo/demo-catalogue.js';
import { renderLicenseFace } from './license-face.js';

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
});
