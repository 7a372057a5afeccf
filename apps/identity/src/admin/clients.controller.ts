import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes, type Caller } from '#auth';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { AdminCaller, ADMIN_ROLE } from './admin-caller.js';
import { ClientDto, ClientPatchDto, toMetadata } from './client.dto.js';

@ApiTags('admin: business systems 业务系统')
@Controller('admin/v1/clients')
@RequireScopes(ADMIN_ROLE)
export class ClientsController {
  constructor(private readonly registry: ClientRegistryService) {}

  @Get()
  list(@AdminCaller() _caller: Caller) {
    return this.registry.list();
  }

  @Post()
  @ApiOperation({
    summary: 'Register a business system',
    description:
      'With client_secret_basic the answer carries `clientSecret` (256 random bits) once; ' +
      'only a keyed hash is kept. With private_key_jwt give `jwks` or `jwksUri`.',
  })
  register(@Body() dto: ClientDto, @AdminCaller() caller: Caller) {
    return this.registry.register(
      {
        clientId: dto.clientId,
        name: dto.name,
        firstParty: dto.firstParty ?? false,
        metadata: toMetadata(dto),
      },
      caller.sub,
    );
  }

  @Get(':clientId')
  get(@Param('clientId') clientId: string, @AdminCaller() _caller: Caller) {
    return this.registry.get(clientId);
  }

  @Patch(':clientId')
  async update(
    @Param('clientId') clientId: string,
    @Body() dto: ClientPatchDto,
    @AdminCaller() caller: Caller,
  ) {
    const current = await this.registry.get(clientId);
    const { name, firstParty, enabled, ...fields } = dto;
    return this.registry.update(
      clientId,
      { name, firstParty, enabled, metadata: toMetadata(fields, current.metadata) },
      caller.sub,
    );
  }

  @Post(':clientId/secret')
  @ApiOperation({ summary: 'Issue a new secret (shown once); the old one stops working' })
  async rotateSecret(@Param('clientId') clientId: string, @AdminCaller() caller: Caller) {
    return { clientId, clientSecret: await this.registry.rotateSecret(clientId, caller.sub) };
  }

  @Delete(':clientId')
  @HttpCode(204)
  async remove(@Param('clientId') clientId: string, @AdminCaller() caller: Caller) {
    await this.registry.remove(clientId, caller.sub);
  }
}
