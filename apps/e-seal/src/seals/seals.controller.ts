import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentCaller, hasScope, RequireScopes, type Caller } from '#auth';
import { renderSealPdf } from '#pdf';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import {
  AllowedClientsDto,
  ApplySealDto,
  SealActionDto,
  SealView,
  StatusQueryDto,
} from './seal.dto.js';
import type { SealAction } from './seal-lifecycle.js';
import { SealLifecycleService } from './seal-lifecycle.service.js';
import { SealRegistryService, toSealView } from './seal-registry.service.js';
import { designOf } from '../sealing/appearance-cache.js';

const ACTIONS: SealAction[] = ['make', 'file', 'activate', 'suspend', 'resume', 'cancel'];
// make and file are the platform officer's (seal:approve); the rest the owner's too.
const ACTION_SCOPES: Record<SealAction, string[]> = {
  make: ['seal:approve'],
  file: ['seal:approve'],
  activate: ['seal:manage', 'seal:approve'],
  suspend: ['seal:manage', 'seal:approve'],
  resume: ['seal:manage', 'seal:approve'],
  cancel: ['seal:manage', 'seal:approve'],
};

/** The seal registry (印章备案管理). */
@ApiTags('seals')
@Controller('v1/seals')
export class SealsController {
  constructor(
    private readonly registry: SealRegistryService,
    private readonly lifecycle: SealLifecycleService,
  ) {}

  @Post()
  @RequireScopes('seal:manage')
  @ApiOperation({ summary: 'Apply for a seal (by the owner organisation’s administrator)' })
  @ApiOkResponse({ type: SealView })
  async apply(@CurrentCaller() caller: Caller, @Body() dto: ApplySealDto): Promise<SealView> {
    return toSealView(await this.registry.apply(caller, dto));
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Seals of the organisations the caller holds seal roles for' })
  @ApiOkResponse({ type: [SealView] })
  async list(
    @CurrentCaller() caller: Caller,
    @Query('ownerUscc') ownerUscc?: string,
  ): Promise<SealView[]> {
    return (await this.registry.list(caller, ownerUscc)).map((s) => toSealView(s));
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: SealView })
  async get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<SealView> {
    return toSealView(await this.registry.get(caller, id));
  }

  @Get(':id/events')
  @Authenticated()
  @ApiOperation({ summary: 'The lifecycle steps: who and when' })
  async events(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    await this.registry.get(caller, id);
    return (await this.registry.events(id)).map((e) => ({
      from: e.fromStatus,
      to: e.toStatus,
      actor: e.actor,
      note: e.note,
      at: e.at.toISOString(),
    }));
  }

  @Put(':id/allowed-clients')
  @RequireScopes('seal:manage')
  @ApiOperation({ summary: 'Set the business systems (client ids) that may use the seal' })
  @ApiOkResponse({ type: SealView })
  async setAllowedClients(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() dto: AllowedClientsDto,
  ): Promise<SealView> {
    return toSealView(await this.registry.setAllowedClients(caller, id, dto.allowedClients));
  }

  @Get(':id/status')
  @ApiOperation({ summary: 'Was the seal valid at a given time? (public, for verifiers)' })
  async status(@Param('id') id: string, @Query() q: StatusQueryDto) {
    return this.registry.statusAt(id, q.at ? new Date(q.at) : new Date());
  }

  @Get(':id/image')
  @ApiOperation({ summary: 'The seal image: the uploaded PNG, or the generated vector seal (PDF)' })
  async image(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const seal = await this.registry.find(id);
    const look = designOf(seal);
    if (look.kind === 'png') {
      res.type('image/png').send(look.png);
      return;
    }
    if (look.kind !== 'seal') throw new SealError(SealErrorCode.SealNotFound, 404, 'No image');
    res.type('application/pdf').send(await renderSealPdf(look.seal));
  }

  @Post(':id/:action')
  @Authenticated()
  @ApiParam({ name: 'action', enum: ACTIONS })
  @ApiOperation({
    summary: 'A lifecycle step: make, file (备案), activate, suspend, resume, cancel',
  })
  @ApiOkResponse({ type: SealView })
  async act(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() dto: SealActionDto,
  ): Promise<SealView> {
    const step = ACTIONS.find((a) => a === action);
    if (!step) throw new SealError(SealErrorCode.SealTransitionNotAllowed, 404, 'No such action');
    if (!ACTION_SCOPES[step].some((s) => hasScope(caller, s))) {
      throw new SealError(
        SealErrorCode.CallerNotAllowed,
        403,
        `The token lacks a scope for ${step}`,
      );
    }
    return toSealView(await this.lifecycle.perform(caller, id, step, dto.note));
  }
}
