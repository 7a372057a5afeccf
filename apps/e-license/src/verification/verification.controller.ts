import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Request, Response } from 'express';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { E_LICENSE_CONFIG, type ELicenseConfig } from '../config/e-license-config.js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import { RateLimiter } from './rate-limiter.js';
import { renderVerifyPage } from './verify-page.js';
import { VerificationService, type DocumentVerification } from './verification.service.js';
import type { VerificationResult } from './verification-result.js';

export class VerifyByIdentifierDto {
  @ApiProperty({
    example: '1.2.156.3005.2.11350000MB0000027H001.11350100MB0000019U.202612030001.001.X',
  })
  @IsString()
  @Length(20, 120)
  identifier: string;
  @ApiProperty({ example: 'ABCD2345' }) @IsString() @Length(4, 16) code: string;
}

const uploadLimit = { limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } };

/** Public verification: JSON API, the QR code page and PDF upload. Rate limited per address. */
@ApiTags('verification 核验')
@Controller()
export class VerificationController {
  private readonly limiter: RateLimiter;
  // Uploads cost an e-seal verification each: a sixth of the lookup rate.
  private readonly uploads: RateLimiter;
  // Path of the public URL (PUBLIC_URL aware) that the pages' forms post to.
  private readonly basePath: string;

  constructor(
    private readonly service: VerificationService,
    @Inject(E_LICENSE_CONFIG) config: ELicenseConfig,
    @Inject(SUITE_CONTEXT) ctx: SuiteContext,
  ) {
    this.basePath = new URL(ctx.publicUrls['e-license']).pathname.replace(/\/+$/, '');
    this.limiter = new RateLimiter(
      config.E_LICENSE_VERIFY_PER_MINUTE,
      config.E_LICENSE_VERIFY_BURST,
    );
    this.uploads = new RateLimiter(
      Math.max(1, Math.floor(config.E_LICENSE_VERIFY_PER_MINUTE / 6)),
      Math.max(1, Math.floor(config.E_LICENSE_VERIFY_BURST / 6)),
    );
  }

  @Post('v1/verification')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify by GB/T 36904 identifier and verification code' })
  verify(@Body() dto: VerifyByIdentifierDto, @Req() req: Request): Promise<VerificationResult> {
    this.limiter.take(req.ip ?? '');
    return this.service.byIdentifier(dto.identifier, dto.code);
  }

  @Post('v1/verification/document')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify an uploaded license PDF: seal, bytes, status' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
  })
  @UseInterceptors(FileInterceptor('file', uploadLimit))
  verifyDocument(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: Request,
  ): Promise<DocumentVerification> {
    this.uploads.take(req.ip ?? '');
    if (!file) throw new LicenseError(LicenseErrorCode.NotAPdf, 400, 'Send the PDF in a file part');
    return this.service.document(file.buffer);
  }

  @Get('verify')
  page(@Res() res: Response): void {
    this.html(res, renderVerifyPage(this.basePath, undefined));
  }

  @Get('verify/lookup')
  async lookup(
    @Query('identifier') identifier = '',
    @Query('code') code = '',
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.byQr(identifier, code, req, res);
  }

  @Get('verify/copy/:id')
  async copyPage(
    @Param('id') id: string,
    @Query('code') code = '',
    @Req() req: Request,
    @Res() res: Response,
  ) {
    if (!this.pageBudget(this.limiter, req, res)) return;
    this.html(res, renderVerifyPage(this.basePath, await this.service.copy(id, code)));
  }

  // TODO(e-license): the upload budgets are checked after multer has read the file (up to
  // 20 MiB); a guard before FileInterceptor would refuse a spent budget without reading it.
  @Post('verify/document')
  @UseInterceptors(FileInterceptor('file', uploadLimit))
  async documentPage(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    if (!this.pageBudget(this.uploads, req, res)) return;
    if (!file) throw new LicenseError(LicenseErrorCode.NotAPdf, 400, 'Send the PDF in a file part');
    const d = await this.service.document(file.buffer);
    this.html(res, renderVerifyPage(this.basePath, d.license, { document: d }));
  }

  @Get('verify/:identifier')
  @ApiOperation({ summary: 'The page a QR code opens (zh-CN / English, no JavaScript)' })
  async qr(
    @Param('identifier') identifier: string,
    @Query('code') code = '',
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.byQr(identifier, code, req, res);
  }

  private async byQr(identifier: string, code: string, req: Request, res: Response): Promise<void> {
    if (!this.pageBudget(this.limiter, req, res)) return;
    let result: VerificationResult;
    try {
      result = await this.service.byIdentifier(identifier, code);
    } catch (err) {
      if (!(err instanceof LicenseError)) throw err;
      result = {
        valid: false,
        outcome: 'not-found',
        message: { zh: '证照标识格式不正确', en: 'This is not a valid license identifier' },
      };
    }
    this.html(res, renderVerifyPage(this.basePath, result, { identifier }));
  }

  /**
   * The pages answer a spent budget with a page a person can read (429, Retry-After), where
   * the JSON API answers the problem document.
   */
  private pageBudget(limiter: RateLimiter, req: Request, res: Response): boolean {
    try {
      limiter.take(req.ip ?? '');
      return true;
    } catch (err) {
      if (!(err instanceof LicenseError) || err.code !== LicenseErrorCode.TooManyRequests)
        throw err;
      const seconds = String(err.extensions.retryAfterSeconds);
      const result: VerificationResult = {
        valid: false,
        outcome: 'rate-limited',
        message: {
          zh: `核验过于频繁，请 ${seconds} 秒后再试`,
          en: `Too many verifications from this address; try again in ${seconds} s`,
        },
      };
      res.status(429).set(err.headers);
      res
        .type('html')
        .set('Cache-Control', 'no-store')
        .send(renderVerifyPage(this.basePath, result));
      return false;
    }
  }

  private html(res: Response, body: string): void {
    res.status(200).type('html').set('Cache-Control', 'no-store').send(body);
  }
}
