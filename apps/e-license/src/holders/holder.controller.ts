import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { AnnotatedCopyService, type CopyView } from '../copies/annotated-copy.service.js';
import { toLicenseView, type LicenseView } from '../issuance/license-view.js';
import { LicenseRepository } from '../issuance/license.repository.js';
import { IssuanceService } from '../issuance/issuance.service.js';
import { CreateCopyDto, CreateGrantDto } from './holder.dto.js';
import { HolderService, type GrantView } from './holder.service.js';
import { USAGE_PAGE_DEFAULT, type UsageEntryView } from './usage-log.service.js';

/** 我的证照: a holder's licenses, downloads, grants, annotated copies and usage log. */
@ApiTags('holders 持证人')
@Controller('v1/holder')
@RequireScopes('license:holder')
export class HolderController {
  constructor(
    private readonly holders: HolderService,
    private readonly copies: AnnotatedCopyService,
    private readonly licenses: LicenseRepository,
    private readonly issuance: IssuanceService,
  ) {}

  @Get('licenses')
  @ApiOperation({ summary: 'Licenses issued to the signed-in person or organisation' })
  async list(@CurrentCaller() caller: Caller): Promise<LicenseView[]> {
    return (await this.holders.licensesOf(caller)).map((l) => toLicenseView(l));
  }

  @Get('licenses/:id')
  @ApiOperation({ summary: 'One license: metadata and data (the structured fields)' })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LicenseView> {
    const row = await this.holders.own(caller, id);
    await this.holders.logHolderAccess(caller, id, 'read-data');
    return toLicenseView(
      row,
      this.issuance.protector.decrypt(row.holderCodeType, row.holderCodeEnc),
    );
  }

  @Get('licenses/:id/pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The face (照面): the sealed PDF' })
  async pdf(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ) {
    const row = await this.holders.own(caller, id);
    const pdf = await this.licenses.document(row.documentSha256!);
    await this.holders.logHolderAccess(caller, id, 'download-pdf');
    res
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="${row.licenseNumber}-${row.version}.pdf"`)
      .send(pdf);
  }

  @Post('licenses/:id/copies')
  @ApiOperation({ summary: '加注件: a sealed copy for one purpose and recipient, until a date' })
  async copy(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateCopyDto,
  ): Promise<CopyView> {
    const row = await this.holders.own(caller, id);
    return this.copies.create(row, dto, caller.sub);
  }

  @Get('licenses/:id/copies')
  async listCopies(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CopyView[]> {
    await this.holders.own(caller, id);
    return this.copies.list(id);
  }

  @Get('copies/:id/pdf')
  @ApiProduces('application/pdf')
  async copyPdf(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() res: Response,
  ) {
    const mine = (await this.holders.licensesOf(caller)).map((l) => l.id);
    const { copy, pdf } = await this.copies.pdf(id, mine);
    res
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="copy-${copy.id}.pdf"`)
      .send(pdf);
  }

  @Post('grants')
  @ApiOperation({
    summary: '用证授权: let a business system read one license, for a purpose, until a date',
  })
  grant(@CurrentCaller() caller: Caller, @Body() dto: CreateGrantDto): Promise<GrantView> {
    return this.holders.grant(caller, dto);
  }

  @Get('grants')
  grants(@CurrentCaller() caller: Caller): Promise<GrantView[]> {
    return this.holders.grants(caller);
  }

  @Delete('grants/:id')
  revoke(
    @CurrentCaller() caller: Caller,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<GrantView> {
    return this.holders.revokeGrant(caller, id);
  }

  @Get('usage')
  @ApiOperation({
    summary: '用证记录: every access to the holder’s licenses — who, when, why',
    description:
      'Newest first, `limit` entries (default 50, at most 200). The next, older page is in ' +
      'the `Link: <...>; rel="next"` header (RFC 8288), with `before` = the last entry id.',
  })
  async usage(
    @CurrentCaller() caller: Caller,
    @Query('limit') limit = String(USAGE_PAGE_DEFAULT),
    @Query('before') before: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UsageEntryView[]> {
    const cursor = before !== undefined && /^\d{1,19}$/.test(before) ? before : undefined;
    const page = await this.holders.usageLog(caller, Number(limit), cursor);
    if (page.before) {
      const next = new URLSearchParams({ limit: String(page.items.length), before: page.before });
      res.set('Link', `<${req.baseUrl}${req.path}?${next.toString()}>; rel="next"`);
    }
    return page.items;
  }
}
