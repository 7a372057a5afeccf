import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  metadataFor,
  startArchiveKit,
  type ArchiveKit,
  blobPath as blobPathOf,
} from './archive-test-kit.js';
import { generatedPdf } from './generated-pdf.js';

// The command as an operator or cron runs it: the built file (scripts/build.mjs keeps src/).
const CLI = join(process.cwd(), 'dist', 'apps', 'e-archive', 'src', 'fixity-cli.js');

interface CliResult {
  code: number | null;
  out: Record<string, unknown>;
  stderr: string;
}

describe('the preservation command (fixity-cli) on the database of a running archive', () => {
  let kit: ArchiveKit;
  const records: { id: string; sha256: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    kit = await startArchiveKit({ alone: true });
    for (let i = 0; i < 3; i++) {
      const res = await kit.ingest(await generatedPdf(), metadataFor());
      records.push((await res.json()) as { id: string; sha256: string });
    }
  });

  afterAll(async () => {
    await kit?.stop();
  });

  /** Runs one command with the archive's database and data directory, as its operator would. */
  function cli(command: string): Promise<CliResult> {
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: kit.db.url,
      DATA_DIR: kit.ctx.dataDir,
      MASTER_KEY: '00'.repeat(31) + '01',
      ARCHIVE_FIXITY_INTERVAL_MINUTES: '0',
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, command], { env, cwd: process.cwd() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve({ code, out: JSON.parse(line) as Record<string, unknown>, stderr });
        } catch {
          reject(new Error(`fixity-cli ${command} exited ${code}: ${stdout}${stderr}`));
        }
      });
    });
  }

  const blobPath = (sha256: string) => blobPathOf(kit, sha256);

  it('exits 0 on an intact store and chain', async () => {
    expect(await cli('fixity')).toMatchObject({ code: 0, out: { checked: 3, failures: 0 } });
    expect(await cli('verify-audit')).toMatchObject({ code: 0, out: { ok: true } });
  });

  it('exits 1 from fixity, naming the record whose object was altered on disk', async () => {
    const altered = records[1]!;
    chmodSync(blobPath(altered.sha256), 0o644);
    writeFileSync(blobPath(altered.sha256), '%PDF-1.7 altered');

    const { code, out } = await cli('fixity');
    expect(code).toBe(1);
    expect(out).toMatchObject({ checked: 3, failures: 1 });
    expect(out.failed).toEqual([
      expect.objectContaining({ recordId: altered.id, outcome: 'mismatch' }),
    ]);
  });

  it('exits 1 from verify-audit, naming the first broken link after an audit row is edited', async () => {
    const ds = kit.archive.get(DataSource);
    const rows = (await ds.query(
      `SELECT "id" FROM "e_archive"."audit_log" WHERE "action" = 'archive.record.ingest'
        ORDER BY "id"`,
    )) as { id: string }[];
    // The second ingest entry, and then a later one: the first broken link is the earlier.
    for (const row of [rows[2]!, rows[1]!]) {
      await ds.query(`UPDATE "e_archive"."audit_log" SET "actor" = 'intruder' WHERE "id" = $1`, [
        row.id,
      ]);
    }

    const { code, out, stderr } = await cli('verify-audit');
    expect(code).toBe(1);
    expect(out).toMatchObject({ ok: false, firstBrokenId: String(rows[1]!.id) });
    expect(stderr).toContain(`verify-audit: chain broken at entry ${rows[1]!.id}`);
  });
});
