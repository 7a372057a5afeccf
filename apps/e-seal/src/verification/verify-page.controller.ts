import { Controller, Get, Header, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { SealError } from '../shared/seal-error.js';
import { VerificationRateLimiter } from './rate-limiter.js';
import { readPdfUpload } from './verification.controller.js';
import { VerificationService } from './verification.service.js';
import { renderVerifyForm, renderVerifyReport } from './verify-page.js';

const messages: Record<string, { zh: string; en: string }> = {
  PdfTooLarge: { zh: '文件过大。', en: 'The file is too large.' },
  PdfNotPdf: { zh: '该文件不是 PDF。', en: 'The file is not a PDF.' },
  PdfDamaged: { zh: '文件已损坏，无法读取。', en: 'The file is damaged.' },
  PdfEncrypted: { zh: '文件已加密，无法验证。', en: 'The file is encrypted.' },
  PdfMissing: { zh: '请选择一个 PDF 文件。', en: 'Choose a PDF file.' },
  TooManyRequests: { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests; try later.' },
};

/** The public verification page: an upload form and the report, no JavaScript. */
@ApiExcludeController()
@Controller('verify')
export class VerifyPageController {
  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    private readonly verification: VerificationService,
    private readonly limiter: VerificationRateLimiter,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  form(): string {
    return renderVerifyForm();
  }

  @Post()
  @HttpCode(200)
  async verify(@Req() req: Request, @Res() res: Response): Promise<void> {
    const maxBytes = this.ctx.config.MAX_UPLOAD_MB * 1024 * 1024;
    try {
      this.limiter.check(req.ip ?? 'unknown');
      const report = await this.verification.verify(await readPdfUpload(req, maxBytes), maxBytes);
      res.type('html').send(renderVerifyReport(report));
    } catch (err) {
      if (!(err instanceof SealError) || err.status >= 500) throw err;
      const message = messages[err.code] ?? { zh: '无法验证该文件。', en: err.message };
      res.status(err.status).type('html').send(renderVerifyForm(message));
    }
  }
}
