import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLog } from '#audit';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';
import { RetrievalService } from '../retrieval/retrieval.service.js';
import { FixityRepository } from './fixity.repository.js';
import { FixityService } from './fixity.service.js';

@ApiTags('preservation 保存')
@Controller('v1')
export class FixityController {
  constructor(
    private readonly fixity: FixityService,
    private readonly repo: FixityRepository,
    private readonly retrieval: RetrievalService,
    private readonly audit: AuditLog,
  ) {}

  @Post('fixity-runs')
  @HttpCode(201)
  @RequireScopes('archive:admin')
  @ApiOperation({ summary: 'Re-hash every stored object now; the run with its failures' })
  async run(@CurrentCaller() caller: Caller) {
    const run = await this.fixity.run('request', caller.sub);
    return { ...run, failed: await this.repo.failuresOfRun(run.id) };
  }

  @Get('fixity-runs/:id')
  @RequireScopes('archive:admin')
  async findRun(@Param('id', ParseUUIDPipe) id: string) {
    const run = await this.repo.findRun(id);
    if (!run) throw new ArchiveError(ArchiveErrorCode.RecordNotFound, 404, 'No such fixity run');
    return { ...run, failed: await this.repo.failuresOfRun(id) };
  }

  @Get('records/:id/fixity')
  @RequireScopes('archive:read')
  @ApiOperation({ summary: 'Fixity events of one record, newest first' })
  async ofRecord(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    const record = await this.retrieval.readable(caller, id);
    return { last: record.lastFixity, events: await this.repo.eventsOfRecord(id) };
  }

  @Get('orphans')
  @RequireScopes('archive:admin')
  @ApiOperation({ summary: 'Stored objects no live record points at (left by a crash)' })
  async orphans() {
    return { addresses: await this.fixity.orphans() };
  }

  @Get('audit/verification')
  @RequireScopes('archive:admin')
  @ApiOperation({ summary: "Recompute the audit log's hash chain; names the first broken link" })
  verifyAudit() {
    return this.audit.verifyChain();
  }
}
