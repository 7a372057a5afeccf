import {
  Body,
  Controller,
  DefaultValuePipe,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes, type Caller } from '#auth';
import { OrganisationService } from '../accounts/organisation.service.js';
import type {
  AgentAuthorisationRow,
  OrganisationRow,
} from '../accounts/organisation.repository.js';
import { AdminCaller, ADMIN_ROLE } from './admin-caller.js';
import { AgentDto, OrganisationDto } from './account.dto.js';

@ApiTags('admin: organisations and agents 法人与经办人')
@Controller('admin/v1/organisations')
@RequireScopes(ADMIN_ROLE)
export class OrganisationsController {
  constructor(private readonly accounts: OrganisationService) {}

  @Get()
  async list(
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number,
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset: number,
    @AdminCaller() _caller: Caller,
  ) {
    const rows = await this.accounts.organisations.list(
      Math.min(Math.max(limit, 1), 200),
      Math.max(offset, 0),
    );
    return rows.map(organisationView);
  }

  @Post()
  @ApiOperation({ summary: 'Register an organisation (USCC checked, GB 32100)' })
  async create(@Body() dto: OrganisationDto, @AdminCaller() caller: Caller) {
    return organisationView(await this.accounts.createOrganisation(dto, caller.sub));
  }

  @Get(':id')
  async get(@Param('id') id: string, @AdminCaller() _caller: Caller) {
    return organisationView(await this.accounts.getOrganisation(id));
  }

  @Get(':id/agents')
  async agents(@Param('id') id: string, @AdminCaller() _caller: Caller) {
    await this.accounts.getOrganisation(id);
    return (await this.accounts.organisations.listAgents(id)).map(agentView);
  }

  @Post(':id/agents')
  @ApiOperation({
    summary: 'Authorise an agent (经办人, 精准授权)',
    description: 'For all matters (no `matters`) or for the named roles, until `validUntil`.',
  })
  authorise(@Param('id') id: string, @Body() dto: AgentDto, @AdminCaller() caller: Caller) {
    return this.accounts.addAgent(
      {
        organisationId: id,
        personId: dto.personId,
        matters: dto.matters,
        validUntil: dto.validUntil ? new Date(dto.validUntil) : undefined,
      },
      caller.sub,
    );
  }

  @Delete(':id/agents/:agentId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an agent at once: their tokens stop saying `org`' })
  async revoke(
    @Param('id') id: string,
    @Param('agentId') agentId: string,
    @AdminCaller() caller: Caller,
  ) {
    await this.accounts.revokeAgent(agentId, caller.sub, id);
  }
}

function organisationView(o: OrganisationRow) {
  return {
    id: o.id,
    uscc: o.uscc,
    name: o.name,
    legalRepresentativeName: o.legal_representative_name,
    legalRepresentativeId: o.legal_representative_id,
    legalRepresentativeIdNumber: o.legal_representative_id_masked,
    createdAt: new Date(o.created_at).toISOString(),
  };
}

function agentView(a: AgentAuthorisationRow) {
  return {
    id: a.id,
    personId: a.person_id,
    matters: a.matters ?? 'all',
    validUntil: a.valid_until ? new Date(a.valid_until).toISOString() : null,
    grantedBy: a.granted_by,
    revokedAt: a.revoked_at ? new Date(a.revoked_at).toISOString() : null,
  };
}
