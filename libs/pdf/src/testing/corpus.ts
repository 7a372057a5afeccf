import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface CorpusEntry {
  readonly file: string;
  readonly path: string;
  readonly what: string;
  /** The MANIFEST's "what the suite must do" column. */
  readonly must: string;
}

/** The shared PDF corpus folder: CORPUS_DIR, else ../shared/corpus/pdf beside the repository. */
export function pdfCorpusDir(): string {
  return process.env.CORPUS_DIR ?? resolve(process.cwd(), '../shared/corpus/pdf');
}

/** The corpus MANIFEST rows, or undefined (with the reason) when the folder is absent. */
export function readPdfCorpus(): { entries: CorpusEntry[] } | { skipped: string } {
  const dir = pdfCorpusDir();
  const manifest = join(dir, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return { skipped: `PDF corpus not found at ${dir} (set CORPUS_DIR)` };
  const rows = readFileSync(manifest, 'utf8').trim().split('\n').slice(1);
  const entries = rows.map((row) => {
    const [file, , what, must] = row.split('\t');
    return { file, path: join(dir, file), what, must };
  });
  return { entries };
}
