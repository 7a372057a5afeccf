import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import { CreateIssuingAuthorityDto, type IssuingAuthorityView } from './issuing-authority.dto.js';
import { IssuingAuthorityService, toView } from './issuing-authority.service.js';

@ApiTags('authorities 发证机关')
@Controller('v1/authorities')
export class IssuingAuthorityController {
  constructor(private readonly service: IssuingAuthorityService) {}

  @Get()
  list(): Promise<IssuingAuthorityView[]> {
    return this.service.list();
  }

  @Get(':uscc')
  async get(@Param('uscc') uscc: string): Promise<IssuingAuthorityView> {
    return toView(await this.service.get(uscc));
  }

  @Put(':uscc')
  @RequireScopes('license:admin')
  @ApiOperation({ summary: 'Register or update an issuing authority' })
  save(
    @Param('uscc') uscc: string,
    @Body() dto: CreateIssuingAuthorityDto,
    @CurrentCaller() caller: Caller,
  ): Promise<IssuingAuthorityView> {
    if (uscc.toUpperCase() !== dto.uscc.toUpperCase()) {
      throw new LicenseError(
        LicenseErrorCode.InvalidAuthority,
        400,
        'The path and body USCC differ',
      );
    }
    return this.service.save(dto, caller.sub);
  }
}
