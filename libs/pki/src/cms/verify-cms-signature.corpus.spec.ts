import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { verifyCmsSignature } from './verify-cms-signature.js';

// Signatures made by other products (DSS, pyHanko, pdf.js, qpdf, @signpdf) from the shared
// corpus; jest.config.mjs leaves this file out when the corpus is absent.
const now = new Date('2025-03-01T08:00:00Z');

// The shared corpus beside the repository (CORPUS_DIR overrides); skipped where it is absent.
const corpus = process.env.CORPUS_DIR ?? resolve(process.cwd(), '../shared/corpus/pdf');
const describeCorpus = existsSync(corpus) ? describe : describe.skip;
if (!existsSync(corpus)) console.warn(`PDF corpus not found at ${corpus}: corpus tests skipped`);

describeCorpus('verifyCmsSignature on signatures made by other products', () => {
  const signatures = readdirSync(corpus)
    .filter((name) => name.endsWith('.pdf'))
    .flatMap((name) =>
      pdfSignatures(readFileSync(`${corpus}/${name}`)).map((s) => ({ name, ...s })),
    );

  it('finds signatures in the corpus', () => {
    expect(signatures.length).toBeGreaterThanOrEqual(8);
  });

  it.each(signatures.map((s) => [`${s.name} #${s.index}`, s] as const))(
    'parses and reports %s without throwing',
    async (_label, signature) => {
      const report = await verifyCmsSignature(signature.contents, signature.digest, {
        trustRoots: [],
        at: now,
      });

      expect(report.signer).toBeDefined();
      expect(report.chain.notIssuedByPlatform).toBe(true);
      expect(report.signatureValid).toBe(true);
      // DSS's corrupted file was altered after signing; every other signature is intact.
      expect(report.digestMatches).toBe(!signature.name.includes('corrupted'));
      console.log(
        signature.name,
        signature.index,
        JSON.stringify({
          digestMatches: report.digestMatches,
          signatureValid: report.signatureValid,
          algorithm: `${report.digestAlgorithm} ${report.signatureAlgorithm}`,
          unsupported: report.unsupported,
          timestamp: report.timestamp.present,
          validityNow: report.validityNow,
          problems: report.problems,
        }),
      );
    },
  );
});

// Test-only extraction of /ByteRange and /Contents (libs/pdf does this properly).
function pdfSignatures(pdf: Buffer) {
  const text = pdf.toString('latin1');
  const found: { index: number; contents: Buffer; digest: (hash: string) => Buffer }[] = [];
  const pattern = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (const match of text.matchAll(pattern)) {
    const [a, b, c, d] = match.slice(1, 5).map(Number) as [number, number, number, number];
    const hex = text.slice(a + b, c).replace(/[<>\s]/g, '');
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length < 100) continue;
    found.push({
      index: found.length,
      contents: Buffer.from(hex, 'hex'),
      digest: (hash) =>
        createHash(hash)
          .update(pdf.subarray(a, a + b))
          .update(pdf.subarray(c, c + d))
          .digest(),
    });
  }
  return found;
}
