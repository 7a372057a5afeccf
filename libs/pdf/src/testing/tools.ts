import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface QpdfCheck {
  /** 0 clean, 2 errors, 3 warnings only. */
  readonly exitCode: number;
  readonly errors: string[];
  readonly warnings: string[];
  readonly output: string;
}

// qpdf's documented exit statuses: 0 clean, 2 errors, 3 warnings only. Anything else (a
// signal, a crash, qpdf not installed) means the file was not checked at all.
const QPDF_EXIT_CODES = new Set([0, 2, 3]);

/**
 * Runs `qpdf --check` and splits its findings (file names stripped, so runs compare). Throws
 * when qpdf is missing or ends other than with 0, 2 or 3, so a test cannot pass on a check
 * that never ran; `expectClean` also throws unless qpdf found nothing (exit 0).
 */
export function qpdfCheck(file: string, options: { expectClean?: boolean } = {}): QpdfCheck {
  const r = spawnSync('qpdf', ['--check', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: process.env,
  });
  if (r.error)
    throw new Error(`qpdf --check could not run (is qpdf installed?): ${r.error.message}`);
  const output = `${r.stdout}${r.stderr}`;
  if (r.status === null || !QPDF_EXIT_CODES.has(r.status)) {
    throw new Error(`qpdf --check ${file} ended with ${r.status ?? r.signal}: ${output}`);
  }
  if (options.expectClean && r.status !== 0) {
    throw new Error(`qpdf --check ${file} found problems (exit ${r.status}): ${output}`);
  }
  const lines = output.split('\n').map((l) => l.replaceAll(file, 'FILE'));
  return {
    exitCode: r.status ?? -1,
    errors: lines.filter((l) => /^qpdf: |ERROR/.test(l) && !/succeeded with warnings/.test(l)),
    warnings: lines.filter((l) => l.startsWith('WARNING')),
    output,
  };
}

export interface PdfsigSignature {
  readonly index: number;
  readonly fieldName?: string;
  readonly signatureValidation?: string;
  readonly certificateValidation?: string;
  readonly totalDocumentSigned: boolean;
  readonly subFilter?: string;
  readonly valid: boolean;
}

/** An NSS database trusting `rootPem`, for `pdfsig -nssdir`. */
export function nssDbTrusting(rootPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdfsig-nss-'));
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  const pem = join(dir, 'root.pem');
  writeFileSync(pem, rootPem);
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'root', '-t', 'CT,C,C', '-i', pem]);
  return dir;
}

/**
 * Runs poppler's `pdfsig` and parses its report, one entry per signature. Throws when pdfsig
 * is missing or was killed, rather than reporting "no signatures".
 */
export function pdfsigReport(file: string, nssDir?: string): PdfsigSignature[] {
  const args = nssDir ? ['-nssdir', `sql:${nssDir}`, file] : [file];
  const r = spawnSync('pdfsig', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error)
    throw new Error(`pdfsig could not run (is poppler-utils installed?): ${r.error.message}`);
  if (r.status === null) throw new Error(`pdfsig ${file} was killed by ${r.signal}`);
  return parsePdfsig(`${r.stdout}`);
}

export function parsePdfsig(text: string): PdfsigSignature[] {
  const out: PdfsigSignature[] = [];
  for (const block of text.split(/^Signature #/m).slice(1)) {
    const field = (label: string): string | undefined =>
      new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(block)?.[1]?.trim();
    const signatureValidation = field('Signature Validation');
    out.push({
      index: Number.parseInt(block, 10),
      fieldName: field('Signature Field Name'),
      signatureValidation,
      certificateValidation: field('Certificate Validation'),
      subFilter: field('Signature Type'),
      totalDocumentSigned: /^\s*- Total document signed/m.test(block),
      valid: signatureValidation === 'Signature is Valid.',
    });
  }
  return out;
}
