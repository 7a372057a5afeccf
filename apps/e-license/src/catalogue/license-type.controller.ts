import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import {
  CreateLicenseTypeDto,
  LicenseTypeVersionDto,
  type LicenseTypeView,
} from './license-type.dto.js';
import { LicenseTypeService, toView } from './license-type.service.js';

/** The catalogue is public to read (GB/T 36902 is published); only admins change it. */
@ApiTags('catalogue 证照目录')
@Controller('v1/types')
export class LicenseTypeController {
  constructor(private readonly service: LicenseTypeService) {}

  @Get()
  @ApiOperation({ summary: 'Every license type, in its current version' })
  list(): Promise<LicenseTypeView[]> {
    return this.service.list();
  }

  @Get(':code')
  @ApiOperation({ summary: 'A license type, current version' })
  async get(@Param('code') code: string): Promise<LicenseTypeView> {
    return toView(await this.service.get(code));
  }

  @Get(':code/versions')
  versions(@Param('code') code: string): Promise<LicenseTypeView[]> {
    return this.service.versions(code);
  }

  @Get(':code/versions/:version')
  async version(
    @Param('code') code: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<LicenseTypeView> {
    return toView(await this.service.get(code, version));
  }

  @Post()
  @RequireScopes('license:admin')
  @ApiOperation({ summary: 'Add a license type (version 1)' })
  create(
    @Body() dto: CreateLicenseTypeDto,
    @CurrentCaller() caller: Caller,
  ): Promise<LicenseTypeView> {
    return this.service.create(dto, caller.sub);
  }

  @Post(':code/versions')
  @HttpCode(201)
  @RequireScopes('license:admin')
  @ApiOperation({ summary: 'Add a new version of a license type' })
  revise(
    @Param('code') code: string,
    @Body() dto: LicenseTypeVersionDto,
    @CurrentCaller() caller: Caller,
  ): Promise<LicenseTypeView> {
    return this.service.revise(code, dto, caller.sub);
  }
}
