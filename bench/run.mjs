// npm run bench: runs every bench/*.bench.mjs (each exports `run()` returning rows) against
// the built code and prints one table. Each row carries its baseline, measured in the same run.
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows = [];
for (const file of files) {
  process.stderr.write(`bench: ${file} ...\n`);
  try {
    const mod = await import(new URL(file, import.meta.url));
    for (const row of await mod.run()) rows.push({ file, ...row });
  } catch (err) {
    rows.push({ file, benchmark: `FAILED: ${err?.message ?? err}`, unit: '', ours: NaN });
    process.stderr.write(`${err?.stack ?? err}\n`);
  }
}

const fmt = (v) =>
  typeof v === 'number' ? (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : '-') : (v ?? '-');
const header = ['benchmark', 'unit', 'ours', 'baseline', 'baseline is', 'target', 'met'];
const table = rows.map((r) => [
  r.benchmark,
  r.unit,
  fmt(r.ours),
  fmt(r.baseline),
  r.baselineName ?? '-',
  r.target ?? '-',
  r.met === undefined ? '-' : r.met ? 'yes' : 'NO',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => String(r[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(`\nNode ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of table) console.log(line(r));
