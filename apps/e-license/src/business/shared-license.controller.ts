import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { LicenseTypeService } from '../catalogue/license-type.service.js';
import { UsageRepository } from '../holders/usage.repository.js';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import { SharedLicenseService } from './shared-license.service.js';

export class StandingPermissionDto {
  @ApiProperty({ example: 'amr-approval-system' })
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/)
  clientId: string;
  @ApiProperty({ example: '11350000MB0000027H002' }) @IsString() @Length(21, 21) typeCode: string;
  @ApiProperty({ example: '登记机关内部业务办理' }) @IsString() @Length(1, 200) purpose: string;
}

/** Business systems (client credentials, `license:read`) reading licenses they may read. */
@ApiTags('shared 共享调用')
@Controller('v1/shared')
@RequireScopes('license:read')
export class SharedLicenseController {
  constructor(private readonly shared: SharedLicenseService) {}

  @Get('grants')
  @ApiOperation({ summary: 'Licenses this system holds an active grant for' })
  granted(@CurrentCaller() caller: Caller) {
    return this.shared.granted(caller);
  }

  @Get('licenses/:identifier')
  @ApiOperation({ summary: 'A license’s data, under a grant or standing permission (logged)' })
  data(@CurrentCaller() caller: Caller, @Param('identifier') identifier: string) {
    return this.shared.data(caller, identifier);
  }

  @Get('licenses/:identifier/pdf')
  @ApiProduces('application/pdf')
  async pdf(
    @CurrentCaller() caller: Caller,
    @Param('identifier') identifier: string,
    @Res() res: Response,
  ) {
    const { license, pdf } = await this.shared.pdf(caller, identifier);
    res
      .type('application/pdf')
      .set(
        'Content-Disposition',
        `attachment; filename="${license.licenseNumber}-${license.version}.pdf"`,
      )
      .send(pdf);
  }
}

/** Administrators: standing permissions of business systems per license type. */
@ApiTags('shared 共享调用')
@Controller('v1/permissions')
@RequireScopes('license:admin')
export class StandingPermissionController {
  constructor(
    private readonly usage: UsageRepository,
    private readonly types: LicenseTypeService,
  ) {}

  @Get()
  list() {
    return this.usage.permissions();
  }

  @Post()
  async create(@CurrentCaller() caller: Caller, @Body() dto: StandingPermissionDto) {
    await this.types.get(dto.typeCode);
    return this.usage.addPermission({ ...dto, createdBy: caller.sub });
  }

  @Delete(':id')
  async revoke(@Param('id', ParseUUIDPipe) id: string) {
    if (!(await this.usage.revokePermission(id))) {
      throw new LicenseError(LicenseErrorCode.GrantNotFound, 404, 'No such active permission');
    }
    return { id, revoked: true };
  }
}
