// Jest runs the TypeScript sources as ES modules through swc (decorator metadata on: without
// it Nest's injected constructor arguments are silently undefined).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const libs = ['common', 'database', 'auth', 'pki', 'pdf', 'audit'];
const root = new URL('.', import.meta.url).pathname;

// The shared PDF corpus (../shared/corpus/pdf, or CORPUS_DIR) is not part of the repository.
// Without it, the test files that read it are left out, and that is said plainly.
function corpusSkips() {
  const dir = process.env.CORPUS_DIR ?? resolve(root, '../shared/corpus/pdf');
  if (existsSync(join(dir, 'MANIFEST.tsv'))) return [];
  const uses = /pdfCorpusDir\(|corpusFile\(|readPdfCorpus\(|CORPUS_PDF|shared\/corpus/;
  const skipped = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.spec.ts') && uses.test(readFileSync(p, 'utf8'))) skipped.push(p);
    }
  };
  for (const top of ['apps', 'libs', 'test']) walk(join(root, top));
  process.stderr.write(
    `\nPDF corpus not found at ${dir} (set CORPUS_DIR): skipping ${skipped.length} test files ` +
      `that read it:\n${skipped.map((p) => `  - ${p.slice(root.length)}`).join('\n')}\n\n`,
  );
  return skipped.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', ...corpusSkips()],
  testMatch: [
    '<rootDir>/apps/**/*.spec.ts',
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/test/**/*.spec.ts',
  ],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            useDefineForClassFields: false,
          },
          target: 'es2023',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((l) => [`^#${l}$`, `<rootDir>/libs/${l}/src/index.ts`])),
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/global-setup.mjs',
};
