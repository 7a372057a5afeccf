import { Body, Controller, HttpCode, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { ExportRequest } from './export.dto.js';
import { ExportService } from './export.service.js';

@ApiTags('retrieval 利用')
@Controller('v1/exports')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Post()
  @HttpCode(200)
  @RequireScopes('archive:read')
  @ApiProduces('application/x-tar')
  @ApiOperation({
    summary: 'Export records as a BagIt bag (RFC 8493) in an uncompressed tar',
    description: 'bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt, data/',
  })
  async export(
    @CurrentCaller() caller: Caller,
    @Body() body: ExportRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { bagName, stream } = await this.exports.export(caller, body.recordIds, body.purpose);
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Disposition', `attachment; filename="${bagName}.tar"`);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(stream);
  }
}
