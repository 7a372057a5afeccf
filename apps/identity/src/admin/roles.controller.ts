import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScopes, type Caller } from '#auth';
import { AccountService } from '../accounts/account.service.js';
import { BackchannelDeliveryRepository } from '../logout/backchannel-delivery.repository.js';
import { KeyStoreService } from '../keys/key-store.service.js';
import { KeyRotationService } from '../keys/key-rotation.service.js';
import { AdminCaller, ADMIN_ROLE } from './admin-caller.js';
import { RoleDto, RotationDto } from './account.dto.js';

@ApiTags('admin: roles 角色')
@Controller('admin/v1/roles')
@RequireScopes(ADMIN_ROLE)
export class RolesController {
  constructor(private readonly accounts: AccountService) {}

  @Get()
  @ApiQuery({ name: 'principalType', required: false })
  @ApiQuery({ name: 'principalId', required: false })
  async list(
    @Query('principalType') principalType: string | undefined,
    @Query('principalId') principalId: string | undefined,
    @AdminCaller() _caller: Caller,
  ) {
    const rows = await this.accounts.roles.list(principalType, principalId);
    return rows.map((r) => ({
      id: r.id,
      principalType: r.principal_type,
      principalId: r.principal_id,
      role: r.role,
      unit: r.unit,
      organisationId: r.organisation_id,
      grantedBy: r.granted_by,
    }));
  }

  @Post()
  @ApiOperation({ summary: 'Assign a role for a unit (USCC, fonds code or *)' })
  assign(@Body() dto: RoleDto, @AdminCaller() caller: Caller) {
    return this.accounts.assignRole(dto, caller.sub);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @AdminCaller() caller: Caller) {
    await this.accounts.removeRole(id, caller.sub);
  }
}

@ApiTags('admin: keys and deliveries 密钥与注销通知')
@Controller('admin/v1')
@RequireScopes(ADMIN_ROLE)
export class OperationsController {
  constructor(
    private readonly keys: KeyStoreService,
    private readonly rotation: KeyRotationService,
    private readonly deliveries: BackchannelDeliveryRepository,
  ) {}

  @Get('keys')
  async listKeys(@AdminCaller() _caller: Caller) {
    return (await this.keys.list()).map((k) => ({
      kid: k.kid,
      alg: k.alg,
      state: k.state,
      createdAt: k.created_at,
      activatedAt: k.activated_at,
      removeAfter: k.remove_after,
    }));
  }

  @Post('keys/rotation')
  @ApiOperation({ summary: 'Rotate a signing key: the published next key starts signing' })
  rotate(@Body() dto: RotationDto, @AdminCaller() caller: Caller) {
    return this.rotation.rotate(dto.alg, caller.sub);
  }

  @Get('backchannel-deliveries')
  @ApiOperation({ summary: 'Back-channel logout deliveries and their outcomes' })
  async listDeliveries(@Query('clientId') clientId: string | undefined, @AdminCaller() _c: Caller) {
    return (await this.deliveries.list(clientId)).map((d) => ({
      id: d.id,
      clientId: d.client_id,
      status: d.status,
      attempts: d.attempts,
      lastStatus: d.last_status,
      lastError: d.last_error,
      createdAt: d.created_at,
      finishedAt: d.finished_at,
    }));
  }

  @Get('backchannel-deliveries/:id/attempts')
  @ApiOperation({ summary: 'Every attempt of one back-channel logout delivery, first first' })
  async listAttempts(@Param('id') id: string, @AdminCaller() _c: Caller) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return [];
    return (await this.deliveries.attempts(id)).map((a) => ({
      attempt: a.attempt,
      attemptedAt: a.attempted_at,
      outcome: a.outcome,
      httpStatus: a.http_status,
      error: a.error,
    }));
  }
}
