import {
  Body,
  Controller,
  HttpStatus,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsOptional, IsString } from 'class-validator';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';
import type { DigestedUpload } from '../storage/digesting-storage.js';
import { IngestService } from './ingest.service.js';

class IngestBody {
  @IsOptional()
  @IsString()
  metadata?: string;
}

@ApiTags('records 档案')
@Controller('v1/records')
export class RecordsController {
  constructor(private readonly ingestService: IngestService) {}

  @Post()
  @RequireScopes('archive:ingest')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: '归档 Ingest a record',
    description:
      'Multipart: `file` (PDF) and `metadata` (JSON, DA/T 46 elements). Runs the DA/T 70 ' +
      'four-properties check; 201 with the record and report, 200 when the same source id ' +
      'was archived before with the same file, 422 FourPropertiesFailed with `report`.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'metadata'],
      properties: {
        file: { type: 'string', format: 'binary' },
        metadata: { type: 'string', description: 'JSON of RecordMetadata' },
      },
    },
  })
  async ingest(
    @CurrentCaller() caller: Caller,
    @UploadedFile() file: DigestedUpload | undefined,
    @Body() body: IngestBody,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!file) {
      throw new ArchiveError(
        ArchiveErrorCode.FileMissing,
        400,
        'The multipart field `file` is required',
      );
    }
    const result = await this.ingestService.ingest(
      caller,
      file.buffer,
      file.mimetype || 'application/octet-stream',
      parseMetadata(body?.metadata),
      file.digest,
    );
    res.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return { created: result.created, ...result.record, report: result.report };
  }
}

function parseMetadata(text: unknown): unknown {
  if (typeof text !== 'string') {
    throw new ArchiveError(
      ArchiveErrorCode.MetadataUnreadable,
      400,
      'The multipart field `metadata` (JSON) is required',
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ArchiveError(ArchiveErrorCode.MetadataUnreadable, 400, '`metadata` is not JSON');
  }
}
