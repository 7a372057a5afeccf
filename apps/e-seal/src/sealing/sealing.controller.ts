import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, CurrentCaller, RequireScopes, type Caller } from '#auth';
import { SUITE_CONTEXT, ValidationError, type SuiteContext } from '#common';
import { canRead, requireAccess } from '../seals/seal-access.js';
import { SealRegistryService } from '../seals/seal-registry.service.js';
import { readMultipart } from '../shared/multipart.js';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { parsePlacement } from './placement.js';
import { SealingService, type SealingRequest } from './sealing.service.js';
import { SealUsageRepository } from './usage.repository.js';

const MAX_BATCH = 50;
const MAX_BATCH_FACTOR = 4;
// Room for the form fields and part headers around the files.
const MULTIPART_OVERHEAD = 1024 * 1024;

const sealingForm = {
  schema: {
    type: 'object',
    required: ['file', 'sealId'],
    properties: {
      file: { type: 'string', format: 'binary' },
      sealId: { type: 'string', format: 'uuid' },
      page: { type: 'integer', minimum: 1, default: 1 },
      x: { type: 'number', description: 'lower-left corner of the seal, points' },
      y: { type: 'number' },
      size: { type: 'number', default: 119 },
      nearText: { type: 'string', description: 'place the seal beside this text instead of x/y' },
      position: { type: 'string', enum: ['right', 'left', 'above', 'below', 'over'] },
      reason: { type: 'string' },
      certify: { type: 'boolean' },
    },
  },
};

/** Sealing PDFs (盖章) and the seal usage log. */
@ApiTags('sealing')
@Controller('v1')
export class SealingController {
  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly sealing: SealingService,
    private readonly registry: SealRegistryService,
    private readonly usages: SealUsageRepository,
  ) {}

  @Post('sealing')
  @RequireScopes('seal:apply')
  @ApiOperation({ summary: 'Seal one PDF: visible seal + PAdES B-T signature' })
  @ApiConsumes('multipart/form-data')
  @ApiBody(sealingForm)
  @ApiProduces('application/pdf')
  async seal(
    @CurrentCaller() caller: Caller,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { files, request } = await this.read(req, 1);
    const [sealed] = await this.sealing.seal(caller, request, files, this.maxBytes);
    const doc = sealed!;
    res
      .status(200)
      .type('application/pdf')
      .set({
        'Content-Disposition': `attachment; filename="sealed.pdf"`,
        'X-Seal-Usage-Id': doc.usageId,
        'X-Seal-Field-Name': doc.fieldName,
        'X-Seal-Page': String(doc.page),
        'X-Document-SHA256-Before': doc.sha256Before,
        'X-Document-SHA256-After': doc.sha256After,
        // RFC 9530: the digest of the representation returned.
        'Repr-Digest': `sha-256=:${Buffer.from(doc.sha256After, 'hex').toString('base64')}:`,
      })
      .send(doc.pdf);
  }

  @Post('sealing/batch')
  @HttpCode(200)
  @RequireScopes('seal:apply')
  @ApiOperation({
    summary: 'Seal many PDFs with one seal in one call (all or nothing); files in `file` parts',
  })
  @ApiConsumes('multipart/form-data')
  async sealBatch(@CurrentCaller() caller: Caller, @Req() req: Request) {
    const { files, request } = await this.read(req, MAX_BATCH);
    const sealed = await this.sealing.seal(caller, request, files, this.maxBytes);
    return {
      sealId: request.sealId,
      documents: sealed.map((d) => ({
        fileName: d.fileName,
        page: d.page,
        usageId: d.usageId,
        fieldName: d.fieldName,
        sha256Before: d.sha256Before,
        sha256After: d.sha256After,
        pdf: d.pdf.toString('base64'),
      })),
    };
  }

  @Get('seals/:id/usage')
  @Authenticated()
  @ApiOperation({ summary: 'The seal usage log, newest first (owner organisation)' })
  async usage(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Query('limit') limit?: string,
  ) {
    const seal = await this.registry.find(id);
    requireAccess(canRead(caller, seal.ownerUscc), 'read the usage log of this seal');
    const n = Math.min(Math.max(Number(limit) || 100, 1), 1000);
    return (await this.usages.forSeal(seal.id, n)).map((u) => ({
      id: u.id,
      sealId: u.sealId,
      caller: { sub: u.callerSub, clientId: u.callerClientId, kind: u.callerKind },
      batchId: u.batchId,
      fileName: u.fileName,
      sha256Before: u.sha256Before,
      sha256After: u.sha256After,
      fieldName: u.fieldName,
      page: u.page,
      reason: u.reason,
      certify: u.certify,
      at: u.at.toISOString(),
    }));
  }

  private get maxBytes(): number {
    return this.ctx.config.MAX_UPLOAD_MB * 1024 * 1024;
  }

  private async read(req: Request, maxFiles: number) {
    // Bounded before reading: a batch may not exceed MAX_BATCH_FACTOR uploads' worth in all.
    // TODO(e-seal): a chunked body without Content-Length is bounded per file only.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.maxBytes * Math.min(maxFiles, MAX_BATCH_FACTOR) + MULTIPART_OVERHEAD) {
      throw new SealError(SealErrorCode.PdfTooLarge, 413, 'The request is larger than allowed', {
        maxBytes: this.maxBytes,
      });
    }
    if (!req.is('multipart/form-data')) {
      throw new SealError(SealErrorCode.PdfMissing, 415, 'Send multipart/form-data with a file');
    }
    const body = await readMultipart(req, {
      maxBytes: this.maxBytes,
      maxFiles,
      fileField: 'file',
    });
    if (body.files.length === 0) {
      throw new SealError(SealErrorCode.PdfMissing, 400, 'The request has no file part');
    }
    const f = body.fields;
    if (!f.sealId) {
      throw new ValidationError([{ field: 'sealId', messages: ['sealId is required'] }]);
    }
    if (f.reason !== undefined && f.reason.length > 500) {
      throw new SealError(SealErrorCode.PlacementInvalid, 400, 'reason is too long');
    }
    const request: SealingRequest = {
      sealId: f.sealId,
      placement: parsePlacement(f),
      reason: f.reason || undefined,
      certify: f.certify === 'true' || f.certify === '1',
    };
    const files = body.files.map((file) => ({ pdf: file.buffer, fileName: file.originalname }));
    return { files, request };
  }
}
