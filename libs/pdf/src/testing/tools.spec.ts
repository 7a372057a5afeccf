import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSimplePdf } from './fixtures.js';
import { qpdfCheck } from './tools.js';

describe('qpdfCheck', () => {
  const work = mkdtempSync(join(tmpdir(), 'qpdf-check-'));

  it('reports a clean file as exit 0', async () => {
    const file = join(work, 'clean.pdf');
    writeFileSync(file, await makeSimplePdf());

    expect(qpdfCheck(file, { expectClean: true }).exitCode).toBe(0);
  });

  it('throws when a file expected clean has errors', () => {
    const file = join(work, 'broken.pdf');
    writeFileSync(file, '%PDF-1.7\nnot a pdf at all\n');

    expect(qpdfCheck(file).exitCode).toBe(2);
    expect(() => qpdfCheck(file, { expectClean: true })).toThrow(/found problems \(exit 2\)/);
  });

  it('throws rather than passing when qpdf cannot be run', () => {
    const path = process.env.PATH;
    process.env.PATH = work;
    try {
      expect(() => qpdfCheck(join(work, 'clean.pdf'))).toThrow(/could not run/);
    } finally {
      process.env.PATH = path;
    }
  });
});
