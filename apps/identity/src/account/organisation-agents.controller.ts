import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccountError, AccountErrorCode } from '../accounts/account.errors.js';
import { LegalRepresentativeService } from '../accounts/legal-representative.service.js';
import type { Message } from '../interaction/pages/layout.js';
import { AccountSession, type Form, type SignedIn } from './account-session.js';

const UNKNOWN: Message = { zh: '未找到该单位或经办人。', en: 'No such organisation or agent.' };

/** What the representative reads for each refusal; the field it belongs to, if any. */
const REFUSALS: Partial<Record<AccountErrorCode, { message: Message; onIdNumber?: boolean }>> = {
  [AccountErrorCode.PersonNotFound]: {
    message: { zh: '没有使用该证件号码的用户。', en: 'No one has an account with this ID number.' },
    onIdNumber: true,
  },
  [AccountErrorCode.InvalidIdNumber]: {
    message: { zh: '身份证号码有误。', en: 'The ID number is not valid.' },
    onIdNumber: true,
  },
  [AccountErrorCode.AgentExists]: {
    message: { zh: '该用户已是本单位的经办人。', en: 'This person is already an agent.' },
    onIdNumber: true,
  },
  [AccountErrorCode.InvalidDate]: {
    message: { zh: '有效期须晚于今天。', en: 'The end date must be after today.' },
  },
  [AccountErrorCode.InvalidRole]: {
    message: { zh: '授权事项无效。', en: 'No such matter.' },
  },
  [AccountErrorCode.OrganisationNotFound]: { message: UNKNOWN },
  [AccountErrorCode.AgentNotFound]: { message: UNKNOWN },
};

const list = (v: string | string[] | undefined) =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** `YYYY-MM-DD` as the end of that day in China Standard Time (UTC+8); empty: no end. */
function endOfDay(v: string | string[] | undefined): Date | undefined | null {
  if (typeof v !== 'string' || v === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return null;
  const d = new Date(`${v}T23:59:59.999+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * 我的单位 on the account page: a legal representative authorises and revokes the agents of
 * the organisations they represent (LegalRepresentativeService), each change with the
 * password again and a CSRF token, and audited with the representative as actor.
 */
@ApiExcludeController()
@Controller('account/organisations')
export class OrganisationAgentsController {
  constructor(
    private readonly session: AccountSession,
    private readonly representatives: LegalRepresentativeService,
  ) {}

  @Post(':organisationId/agents')
  async authorise(
    @Param('organisationId') organisationId: string,
    @Body() body: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const who = await this.session.checked(req, res, body, `authorise-${organisationId}`);
    if (!who) return;

    try {
      const validUntil = endOfDay(body.validUntil);
      if (validUntil === null) {
        throw new AccountError(AccountErrorCode.InvalidDate, 400, 'The date is not valid');
      }
      const { agentName } = await this.representatives.authorise(who.person, {
        organisationId,
        idNumber: typeof body.idNumber === 'string' ? body.idNumber : '',
        matters: list(body.matter),
        validUntil,
      });
      const notice = { zh: `已授权 ${agentName} 为经办人。`, en: `${agentName} is now an agent.` };
      return await this.session.page(res, who, { notice });
    } catch (err) {
      return this.refused(res, who, err, `agent-${organisationId}`);
    }
  }

  @Post(':organisationId/agents/:agentId/revoke')
  async revoke(
    @Param('organisationId') organisationId: string,
    @Param('agentId') agentId: string,
    @Body() body: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const who = await this.session.checked(req, res, body, `revoke-${agentId}`);
    if (!who) return;

    try {
      await this.representatives.revoke(who.person, organisationId, agentId);
      const notice = { zh: '已撤销授权。', en: 'The authorisation was revoked.' };
      return await this.session.page(res, who, { notice });
    } catch (err) {
      return this.refused(res, who, err);
    }
  }

  /** A refusal the representative can act on, on the account page; anything else is thrown. */
  private async refused(res: Response, who: SignedIn, err: unknown, idField?: string) {
    const refusal = err instanceof AccountError ? REFUSALS[err.code] : undefined;
    if (!refusal || !(err instanceof AccountError)) throw err;
    const failed = refusal.onIdNumber ? idField : undefined;
    await this.session.page(res, who, { error: refusal.message, failed }, err.status);
  }
}
