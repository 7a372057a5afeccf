import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { ArchiveOutboxRepository } from '../archiving/archive-outbox.repository.js';
import { AnnotatedCopyService, type CopyView } from '../copies/annotated-copy.service.js';
import { CreateCopyDto } from '../holders/holder.dto.js';
import { IssuingAuthorityService } from '../authority/issuing-authority.service.js';
import { UsageLogService } from '../holders/usage-log.service.js';
import { LicenseError, LicenseErrorCode, pageOffset } from '../license.error.js';
import { LifecycleService } from '../lifecycle/lifecycle.service.js';
import { IssuanceService, type IssuedLicense } from './issuance.service.js';
import {
  ChangeLicenseDto,
  IssueLicenseDto,
  LifecycleReasonDto,
  RenewLicenseDto,
} from './license.dto.js';
import { LicenseRepository } from './license.repository.js';
import { toLicenseView, type LicenseView } from './license-view.js';

/** Clerks of an issuing authority: issue licenses and manage their lifecycle. */
@ApiTags('licenses 证照签发与管理')
@Controller('v1/licenses')
@RequireScopes('license:issue')
export class LicenseController {
  constructor(
    private readonly issuance: IssuanceService,
    private readonly lifecycle: LifecycleService,
    private readonly authorities: IssuingAuthorityService,
    private readonly licenses: LicenseRepository,
    private readonly copies: AnnotatedCopyService,
    private readonly outbox: ArchiveOutboxRepository,
    private readonly usage: UsageLogService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Issue a license: data + sealed PDF + GB/T 36904 identifier' })
  issue(@Body() dto: IssueLicenseDto, @CurrentCaller() caller: Caller): Promise<IssuedLicense> {
    return this.issuance.issue(dto, caller);
  }

  @Get()
  @ApiOperation({ summary: 'Licenses of one issuing authority, newest first' })
  async list(
    @CurrentCaller() caller: Caller,
    @Query('issuer') issuer = '',
    @Query('limit') limit = '50',
    @Query('offset') offset = '0',
  ): Promise<LicenseView[]> {
    this.authorities.requireClerk(caller, await this.authorities.get(issuer));
    const rows = await this.licenses.byIssuer(
      issuer.toUpperCase(),
      Math.min(Math.max(Number(limit) || 50, 1), 500),
      pageOffset(offset),
    );
    return rows.map((r) => toLicenseView(r));
  }

  @Get(':id')
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<LicenseView> {
    const row = await this.forClerk(id, caller);
    // The holder sees a clerk's read in 用证记录 too: it decrypts the holder code.
    await this.usage.clerkRead(caller, row, row.authority, 'read-data');
    const code = this.issuance.protector.decrypt(row.holderCodeType, row.holderCodeEnc);
    return toLicenseView(row, code);
  }

  @Get(':id/events')
  async events(@Param('id', ParseUUIDPipe) id: string, @CurrentCaller() caller: Caller) {
    const row = await this.forClerk(id, caller);
    const versions = await this.licenses.versions(row.licenseNumber);
    const events = await this.licenses.events(versions.map((v) => v.id));
    return events.map((e) => ({
      licenseId: e.licenseId,
      action: e.action,
      from: e.fromStatus,
      to: e.toStatus,
      actor: e.actor,
      reason: e.reason,
      at: new Date(e.at).toISOString(),
    }));
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  async pdf(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentCaller() caller: Caller,
    @Res() res: Response,
  ) {
    const row = await this.forClerk(id, caller);
    await this.usage.clerkRead(caller, row, row.authority, 'read-pdf');
    const pdf = await this.licenses.document(row.documentSha256!);
    res
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="${row.licenseNumber}-${row.version}.pdf"`)
      .send(pdf);
  }

  @Post(':id/copies')
  @ApiOperation({ summary: '加注件 made by a clerk on the holder’s behalf' })
  async copy(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateCopyDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CopyView> {
    return this.copies.create(await this.forClerk(id, caller), dto, caller.sub);
  }

  @Get(':id/copies/:copyId/pdf')
  @ApiProduces('application/pdf')
  async copyPdf(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('copyId', ParseUUIDPipe) copyId: string,
    @CurrentCaller() caller: Caller,
    @Res() res: Response,
  ) {
    const row = await this.forClerk(id, caller);
    const { pdf } = await this.copies.pdf(copyId, [id]);
    await this.usage.clerkRead(caller, row, row.authority, 'read-copy-pdf');
    res.type('application/pdf').send(pdf);
  }

  @Get(':id/archiving')
  @ApiOperation({ summary: 'Whether e-archive has taken the license PDF yet' })
  async archiving(@Param('id', ParseUUIDPipe) id: string, @CurrentCaller() caller: Caller) {
    await this.forClerk(id, caller);
    return this.outbox.status(id);
  }

  @Post(':id/change')
  @ApiOperation({ summary: '变更: a new version; the old one superseded' })
  change(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeLicenseDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.lifecycle.change(id, dto, caller);
  }

  @Post(':id/renew')
  @ApiOperation({ summary: '延续: a new version with a new validity' })
  renew(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RenewLicenseDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.lifecycle.renew(id, dto, caller);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: '暂扣' })
  suspend(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LifecycleReasonDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.lifecycle.suspend(id, dto.reason, caller);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: '发还 (restore after suspension)' })
  restore(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LifecycleReasonDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.lifecycle.restore(id, dto.reason, caller);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: '吊销 (administrative penalty)' })
  revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LifecycleReasonDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.lifecycle.revoke(id, dto.reason, caller);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: '撤销 (the grant was unlawful)' })
  withdraw(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LifecycleReasonDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.lifecycle.withdraw(id, dto.reason, caller);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: '注销' })
  cancel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LifecycleReasonDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.lifecycle.cancel(id, dto.reason, caller);
  }

  private async forClerk(id: string, caller: Caller) {
    const row = await this.licenses.byId(id);
    if (!row) throw new LicenseError(LicenseErrorCode.LicenseNotFound, 404, 'No such license');
    const authority = await this.authorities.get(row.issuerUscc);
    this.authorities.requireClerk(caller, authority);
    return Object.assign(row, { authority });
  }
}
