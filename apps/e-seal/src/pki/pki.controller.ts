import { Controller, Get, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { toPem } from '#pki';
import { readRawBody } from '../shared/raw-body.js';
import { VerificationRateLimiter } from '../verification/rate-limiter.js';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { CrlService } from './crl.service.js';
import { PlatformPkiService } from './platform-pki.service.js';

/** The platform CA's public parts and the time-stamping authority; no token needed. */
@ApiTags('pki')
@Controller('v1')
export class PkiController {
  constructor(
    private readonly pki: PlatformPkiService,
    private readonly crl: CrlService,
    private readonly limiter: VerificationRateLimiter,
  ) {}

  @Get('pki/ca')
  @ApiOperation({ summary: 'Root and issuing CA certificates (PEM bundle, issuing first)' })
  @ApiProduces('application/pem-certificate-chain')
  @Header('Content-Type', 'application/pem-certificate-chain')
  @Header('Cache-Control', 'public, max-age=3600')
  ca(): string {
    return toPem(this.pki.issuingCertificate) + toPem(this.pki.root);
  }

  @Get('pki/crl')
  @ApiOperation({ summary: 'The issuing CA’s current CRL (DER, RFC 5280)' })
  @ApiProduces('application/pkix-crl')
  async currentCrl(@Res() res: Response): Promise<void> {
    const crl = await this.crl.current();
    // RFC 5280 4.2.1.13 / RFC 2585 section 4: DER with media type application/pkix-crl.
    res.type('application/pkix-crl').set('Cache-Control', 'public, max-age=300').send(crl);
  }

  @Post('tsa')
  @HttpCode(200)
  @ApiOperation({ summary: 'RFC 3161 time-stamping: TimeStampReq in, TimeStampResp out' })
  @ApiConsumes('application/timestamp-query')
  @ApiProduces('application/timestamp-reply')
  @ApiOkResponse({ description: 'A TimeStampResp; a rejection carries its status and failInfo' })
  async timestamp(@Req() req: Request, @Res() res: Response): Promise<void> {
    // RFC 3161 3.4: the query arrives as application/timestamp-query.
    // Anyone may ask (RFC 3161 names no client authentication), but each answer costs a
    // signature with the TSA's key: a budget per address, apart from verification's.
    this.limiter.check(req.ip ?? 'unknown', Date.now(), 'time-stamp');
    if (!req.is('application/timestamp-query')) {
      throw new SealError(
        SealErrorCode.TimestampQueryInvalid,
        415,
        'Send a DER TimeStampReq as application/timestamp-query',
      );
    }
    const query = await readRawBody(req, 64 * 1024, SealErrorCode.TimestampQueryInvalid);
    const reply = await this.pki.respondToTimeStampQuery(query);
    res.type('application/timestamp-reply').send(reply);
  }
}
