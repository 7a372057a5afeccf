import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { addDays, chinaDate } from '../src/issuance/dates.js';
import { DEMO_DEFINING_AUTHORITY } from '../src/demo/demo-catalogue.js';
import { issue, type Issued } from './fixtures.js';
import { startLicenseSuite, type LicenseSuite } from './license-suite.js';
import { pageTexts } from './pdf-tools.js';

interface Copy {
  id: string;
  verifyUrl: string;
  verificationCode: string;
  validUntil: string;
}

/** Bounding box (fractions of the page) of the watermark's pink: red 0.8/0.2/0.2 at 35 %. */
function watermarkBox(pdf: Buffer): { x0: number; x1: number; y0: number; y1: number } {
  const dir = mkdtempSync(join(tmpdir(), 'copy-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '36', '-singlefile', join(dir, 'c.pdf'), join(dir, 'p')]);
    const ppm = readFileSync(join(dir, 'p.ppm'));
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.toString('latin1', 0, 40))!;
    const [w, h] = [Number(header[1]), Number(header[2])];
    const px = ppm.subarray(header[0].length);
    const box = { x0: 1, x1: 0, y0: 1, y1: 0 };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [r, g, b] = [
          px[(y * w + x) * 3]!,
          px[(y * w + x) * 3 + 1]!,
          px[(y * w + x) * 3 + 2]!,
        ];
        if (r < 220 || g < 140 || g > 215 || Math.abs(g - b) > 20) continue;
        box.x0 = Math.min(box.x0, x / w);
        box.x1 = Math.max(box.x1, x / w);
        box.y0 = Math.min(box.y0, y / h);
        box.y1 = Math.max(box.y1, y / h);
      }
    }
    return box;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('annotated copies (加注件)', () => {
  let t: LicenseSuite;
  let clerk: string;
  let issued: Issued;

  const makeCopy = async (validUntil: string, token = clerk) =>
    t.api(`/v1/licenses/${issued.license.id}/copies`, {
      token,
      body: { purpose: '公积金提取', recipient: '福州住房公积金中心', validUntil },
    });

  beforeAll(async () => {
    t = await startLicenseSuite();
    clerk = await t.clerkToken();
    issued = await issue(t, clerk);
  });
  afterAll(() => t.stop());

  it('lets a clerk of the issuing authority make a copy on the holder’s behalf', async () => {
    const res = await makeCopy(addDays(chinaDate(), 30));

    expect(res.status).toBe(201);
    const copy = (await res.json()) as Copy;
    const page = await (await fetch(copy.verifyUrl)).text();
    expect(page).toContain('✔ 加注件，仅用于“公积金提取”');
  });

  it('refuses a clerk of another authority, with a stable code', async () => {
    const other = await t.clerkToken(DEMO_DEFINING_AUTHORITY.uscc);

    const res = await makeCopy(addDays(chinaDate(), 30), other);

    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'NotActingForAuthority' });
  });

  it('prints purpose, recipient and expiry on every page, the watermark across the face', async () => {
    const until = addDays(chinaDate(), 30);
    const copy = (await (await makeCopy(until)).json()) as Copy;
    const res = await t.api(`/v1/licenses/${issued.license.id}/copies/${copy.id}/pdf`, {
      token: clerk,
    });
    const pdf = Buffer.from(await res.arrayBuffer());

    // The face is one page (license-face.ts adds one); the loop holds if that ever changes.
    const pages = pageTexts(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    for (const text of pages) {
      expect(text).toContain('公积金提取');
      expect(text).toContain('福州住房公积金中心');
      expect(text).toContain(`仅供公积金提取使用，提交给福州住房公积金中心，${until}前有效`);
      expect(text).toContain(`Annotated copy for 公积金提取, valid until ${until}`);
    }
    // The diagonal watermark crosses most of the page, not a corner a crop would remove.
    const box = watermarkBox(pdf);
    expect(box.x1 - box.x0).toBeGreaterThan(0.6);
    expect(box.y1 - box.y0).toBeGreaterThan(0.25);
  });

  it('verifies a copy as expired the day after its last day, the license still valid', async () => {
    const copy = (await (await makeCopy(chinaDate())).json()) as Copy;
    const pdfRes = await t.api(`/v1/licenses/${issued.license.id}/copies/${copy.id}/pdf`, {
      token: clerk,
    });
    const pdf = Buffer.from(await pdfRes.arrayBuffer());

    // Frozen clock (only Date: timers, I/O and the database run as usual), one day on.
    jest.useFakeTimers({
      now: Date.now() + 86_400_000,
      advanceTimers: true,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      const page = await (await fetch(copy.verifyUrl)).text();
      expect(page).toContain(`✘ 该加注件已于 ${copy.validUntil} 过期`);
      expect(page).toContain(`expired after ${copy.validUntil}`);

      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'c.pdf');
      const up = await fetch(t.url('e-license', '/v1/verification/document'), {
        method: 'POST',
        body: form,
      });
      expect(await up.json()).toMatchObject({
        valid: false,
        issuedHere: true,
        license: { valid: false, status: 'valid', copy: { expired: true } },
      });
    } finally {
      jest.useRealTimers();
    }
  });
});
