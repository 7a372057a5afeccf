import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  DefaultValuePipe,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes, type Caller } from '#auth';
import { AccountService, toPersonView } from '../accounts/account.service.js';
import { PasswordService, TEMPORARY_PASSWORD_HOURS } from '../accounts/password.service.js';
import { PersonProfileService } from '../accounts/person-profile.service.js';
import { TotpService } from '../accounts/totp.service.js';
import { AdminCaller, ADMIN_ROLE } from './admin-caller.js';
import { PersonDto, PersonPatchDto } from './account.dto.js';

@ApiTags('admin: people 自然人')
@Controller('admin/v1/people')
@RequireScopes(ADMIN_ROLE)
export class PeopleController {
  constructor(
    private readonly accounts: AccountService,
    private readonly totp: TotpService,
    private readonly profiles: PersonProfileService,
    private readonly passwords: PasswordService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'People, ID and phone numbers masked' })
  list(
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number,
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset: number,
    @AdminCaller() _caller: Caller,
  ) {
    return this.accounts.listPeople(Math.min(Math.max(limit, 1), 200), Math.max(offset, 0));
  }

  @Post()
  create(@Body() dto: PersonDto, @AdminCaller() caller: Caller) {
    return this.accounts.createPerson(dto, caller.sub);
  }

  @Get(':id')
  async get(@Param('id') id: string, @AdminCaller() _caller: Caller) {
    return toPersonView(await this.accounts.getPerson(id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Correct name, mobile number or email; disable or enable',
    description: 'An ID number is never changed (400 IdNumberImmutable).',
  })
  async update(
    @Param('id') id: string,
    @Body() dto: PersonPatchDto,
    @AdminCaller() caller: Caller,
  ) {
    const { disabled, ...rest } = dto;
    const profile = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    let view = Object.keys(profile).length
      ? await this.profiles.update(id, profile, caller.sub)
      : await this.get(id, caller);
    if (disabled !== undefined) view = await this.accounts.setDisabled(id, disabled, caller.sub);
    return view;
  }

  @Post(':id/password-reset')
  @ApiOperation({
    summary: 'Set a temporary password, answered once',
    description:
      `It works for ${TEMPORARY_PASSWORD_HOURS} hours; the account page asks for a new one. ` +
      "The person's sessions and grants (refresh tokens) end. Hand it over in person.",
  })
  resetPassword(@Param('id') id: string, @AdminCaller() caller: Caller) {
    return this.passwords.reset(id, caller.sub);
  }

  @Post(':id/totp')
  @ApiOperation({
    summary: 'Enrol a TOTP second factor (RFC 6238)',
    description:
      'Answers the secret, an otpauth:// URI for a QR code and ten recovery codes, once. ' +
      'Hand them to the person through a trusted channel.',
  })
  enrolTotp(@Param('id') id: string, @AdminCaller() caller: Caller) {
    return this.totp.enrol(id, caller.sub);
  }

  @Delete(':id/totp')
  @HttpCode(204)
  async removeTotp(@Param('id') id: string, @AdminCaller() caller: Caller) {
    await this.totp.remove(id, caller.sub);
  }
}
