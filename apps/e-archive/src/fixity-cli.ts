import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditLog } from '#audit';
import { createSuiteContext, NestPinoLogger, SuiteCoreModule } from '#common';
import { EArchiveModule } from './e-archive.module.js';
import { FixityRepository } from './fixity/fixity.repository.js';
import { FixityService } from './fixity/fixity.service.js';

/**
 * Preservation commands, for cron or an operator:
 *   node dist/apps/e-archive/src/fixity-cli.js fixity        re-hash every object (exit 1 on failure)
 *   node dist/apps/e-archive/src/fixity-cli.js verify-audit  check the audit hash chain
 *   node dist/apps/e-archive/src/fixity-cli.js orphans       objects no record points at
 * Uses DATABASE_URL (an embedded database cannot be opened while the service runs on it).
 */
const command = process.argv[2] ?? 'fixity';
const ctx = createSuiteContext('e-archive');

@Module({ imports: [SuiteCoreModule.forRoot(ctx), EArchiveModule] })
class FixityCliModule {}

const app = await NestFactory.createApplicationContext(FixityCliModule, {
  logger: new NestPinoLogger('e-archive'),
});
let failed = false;
try {
  let out: unknown;
  if (command === 'fixity') {
    const run = await app.get(FixityService).run('command', 'system');
    failed = run.failures > 0;
    // The operator (or cron's mail) needs to know which records failed, not only how many.
    out = { ...run, failed: await app.get(FixityRepository).failuresOfRun(run.id) };
    if (failed) process.stderr.write(`fixity: ${run.failures} object(s) failed\n`);
  } else if (command === 'verify-audit') {
    const result = await app.get(AuditLog).verifyChain();
    failed = !result.ok;
    out = result;
    if (!result.ok) {
      process.stderr.write(`verify-audit: chain broken at entry ${result.firstBrokenId}\n`);
    }
  } else if (command === 'orphans') {
    out = { addresses: await app.get(FixityService).orphans() };
  } else {
    out = { error: `unknown command ${command}; use fixity, verify-audit or orphans` };
    failed = true;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  await app.close();
}
process.exit(failed ? 1 : 0);
