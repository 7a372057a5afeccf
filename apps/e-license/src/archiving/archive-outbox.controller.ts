import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '#auth';
import { LicenseError, LicenseErrorCode, pageOffset } from '../license.error.js';
import {
  ArchiveOutboxRepository,
  OUTBOX_STATUSES,
  type OutboxJobView,
  type OutboxStatus,
} from './archive-outbox.repository.js';

/** Operators: what the archive outbox holds, above all the jobs e-archive refused for good. */
@ApiTags('archiving 归档')
@Controller('v1/admin/archive-outbox')
@RequireScopes('license:admin')
export class ArchiveOutboxController {
  constructor(private readonly outbox: ArchiveOutboxRepository) {}

  @Get()
  @ApiOperation({ summary: 'Archiving jobs by status: pending, archived or dead (refused)' })
  @ApiQuery({ name: 'status', enum: OUTBOX_STATUSES, required: false })
  list(
    @Query('status') status = 'dead',
    @Query('limit') limit = '50',
    @Query('offset') offset = '0',
  ): Promise<OutboxJobView[]> {
    if (!(OUTBOX_STATUSES as readonly string[]).includes(status)) {
      throw new LicenseError(LicenseErrorCode.InvalidQuery, 400, 'Unknown outbox status', {
        errors: [{ field: 'status', message: `one of ${OUTBOX_STATUSES.join(', ')}` }],
      });
    }
    return this.outbox.list(
      status as OutboxStatus,
      Math.min(Math.max(Number(limit) || 50, 1), 500),
      pageOffset(offset),
    );
  }
}
