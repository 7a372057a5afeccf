import { Controller, Get, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { RetrievalService } from './retrieval.service.js';
import { PurposeQuery, SearchQuery } from './search-query.dto.js';

@ApiTags('retrieval 利用')
@Controller('v1/records')
@RequireScopes('archive:read')
export class RetrievalController {
  constructor(private readonly retrieval: RetrievalService) {}

  @Get()
  @ApiOperation({ summary: '检索 Search records of the fonds the caller may read' })
  search(@CurrentCaller() caller: Caller, @Query() query: SearchQuery) {
    return this.retrieval.search(caller, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Metadata of a record, with its last fixity result' })
  metadata(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PurposeQuery,
  ) {
    return this.retrieval.metadata(caller, id, q.purpose);
  }

  @Get(':id/report')
  @ApiOperation({ summary: 'The DA/T 70 four-properties report made at ingest' })
  report(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PurposeQuery,
  ) {
    return this.retrieval.report(caller, id, q.purpose);
  }

  @Get(':id/access-log')
  @ApiOperation({ summary: '利用登记 Who used this record, when, how and why' })
  accessLog(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.retrieval.accessHistory(caller, id);
  }

  @Get(':id/content')
  @ApiOperation({
    summary: 'Download the original, byte-identical (purpose required)',
    description: 'Checked against the recorded SHA-256 before sending; Repr-Digest (RFC 9530).',
  })
  async content(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PurposeQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { record, bytes } = await this.retrieval.download(caller, id, q.purpose);
    const name = `${record.archivalCode}.pdf`;
    res.setHeader(
      'Content-Type',
      record.mediaType === 'application/pdf' ? 'application/pdf' : 'application/octet-stream',
    );
    // RFC 6266 / RFC 8187: an ASCII fallback and the UTF-8 name (the code has a middle dot).
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    res.setHeader('ETag', `"${record.sha256}"`);
    res.setHeader(
      'Repr-Digest',
      `sha-256=:${Buffer.from(record.sha256, 'hex').toString('base64')}:`,
    );
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(bytes);
  }
}
