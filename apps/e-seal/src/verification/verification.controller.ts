import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { readMultipart } from '../shared/multipart.js';
import { readRawBody } from '../shared/raw-body.js';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { VerificationRateLimiter } from './rate-limiter.js';
import { VerificationService } from './verification.service.js';
import type { VerificationReport } from './verification-report.js';

/** Reads the uploaded PDF of a verification request: multipart `file`, or the body as is. */
export async function readPdfUpload(req: Request, maxBytes: number): Promise<Buffer> {
  if (req.is('multipart/form-data')) {
    const body = await readMultipart(req, { maxBytes, maxFiles: 1, fileField: 'file' });
    const file = body.files[0];
    if (!file) throw new SealError(SealErrorCode.PdfMissing, 400, 'The request has no file part');
    return file.buffer;
  }
  if (req.is('application/pdf') || req.is('application/octet-stream')) {
    const pdf = await readRawBody(req, maxBytes);
    if (pdf.length === 0) throw new SealError(SealErrorCode.PdfMissing, 400, 'The body is empty');
    return pdf;
  }
  throw new SealError(
    SealErrorCode.PdfMissing,
    415,
    'Send the PDF as multipart/form-data (file) or as application/pdf',
  );
}

/** Public verification of sealed PDFs (验章), for anyone holding a document. */
@ApiTags('verification')
@Controller('v1/verification')
export class VerificationController {
  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly verification: VerificationService,
    private readonly limiter: VerificationRateLimiter,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify every signature and document time-stamp of a PDF' })
  @ApiConsumes('multipart/form-data', 'application/pdf')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
  })
  async verify(@Req() req: Request): Promise<VerificationReport> {
    this.limiter.check(req.ip ?? 'unknown');
    const maxBytes = this.ctx.config.MAX_UPLOAD_MB * 1024 * 1024;
    return this.verification.verify(await readPdfUpload(req, maxBytes), maxBytes);
  }
}
