import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, RequireScopes, type Caller } from '#auth';
import { CandidatesQuery, DisposalListQuery, ProposeDisposal } from './disposal.dto.js';
import { DisposalService } from './disposal.service.js';

@ApiTags('disposal 销毁')
@Controller('v1')
@RequireScopes('archive:dispose')
export class DisposalController {
  constructor(private readonly disposal: DisposalService) {}

  @Get('disposal-candidates')
  @ApiOperation({ summary: 'Records past their retention, of the fonds the caller may dispose' })
  candidates(@CurrentCaller() caller: Caller, @Query() q: CandidatesQuery) {
    return this.disposal.candidates(caller, q.fondsCode);
  }

  @Get('disposals')
  list(@CurrentCaller() caller: Caller, @Query() q: DisposalListQuery) {
    return this.disposal.list(caller, q.status);
  }

  @Post('disposals')
  @ApiOperation({ summary: 'Propose the disposal of an expired record (first archivist)' })
  propose(@CurrentCaller() caller: Caller, @Body() body: ProposeDisposal) {
    return this.disposal.propose(caller, body.recordId, body.reason);
  }

  @Post('disposals/:id/approval')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve: a second archivist; the object is deleted, the tombstone stays',
  })
  approve(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.disposal.decide(caller, id, true);
  }

  @Post('disposals/:id/rejection')
  @HttpCode(200)
  reject(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.disposal.decide(caller, id, false);
  }
}
