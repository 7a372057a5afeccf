import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { InteractionDetails } from 'oidc-provider';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { AuditLog } from '#audit';
import { OrganisationRepository } from '../accounts/organisation.repository.js';
import { PersonRepository } from '../accounts/person.repository.js';
import { SignInService } from '../accounts/sign-in.service.js';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { deriveKey } from '../crypto/field-crypto.js';
import { ProviderHost } from '../oidc/provider-host.service.js';
import { InteractionTokens } from './interaction-tokens.js';
import {
  consentPage,
  loginPage,
  secondFactorPage,
  type Message,
} from './pages/interaction-pages.js';

const INVALID: Message = { zh: '账号或密码错误。', en: 'The account or password is wrong.' };
const CHECK_ID: Message = {
  zh: '请核对证件号码、手机号或用户名。',
  en: 'Check the ID number, mobile number or username.',
};
const CHECK_PASSWORD: Message = { zh: '请核对密码。', en: 'Check the password.' };
const BAD_CODE: Message = {
  zh: '动态码错误或已使用。',
  en: 'The code is wrong or was already used.',
};
const EXPIRED: Message = {
  zh: '页面已过期，请重新登录。',
  en: 'The page has expired; sign in again.',
};

/**
 * The answer to the client when the person cannot reach the level it asked for (OpenID
 * Connect Core Unmet Authentication Requirements 1.0, section 2), so that it can offer
 * another way instead of the person meeting a page they cannot get past.
 */
const UNMET = {
  error: 'unmet_authentication_requirements',
  error_description: 'the requested assurance level cannot be met: no second factor enrolled',
};

type Form = Record<string, string | undefined>;

/**
 * The sign-in, second-factor and consent pages of the provider's interactions. Forms carry a
 * CSRF token bound to the interaction, which is itself bound to its cookie.
 */
@ApiExcludeController()
@Controller('interaction')
export class InteractionController {
  private readonly tokens: InteractionTokens;
  private readonly base: string;

  constructor(
    @Inject(SUITE_CONTEXT) ctx: SuiteContext,
    private readonly host: ProviderHost,
    private readonly signIn: SignInService,
    private readonly people: PersonRepository,
    private readonly organisations: OrganisationRepository,
    private readonly clients: ClientRegistryService,
    private readonly audit: AuditLog,
  ) {
    this.tokens = new InteractionTokens(deriveKey(ctx.masterKey, 'interaction'));
    this.base = `${new URL(ctx.publicUrls.identity).pathname.replace(/\/$/, '')}/interaction`;
  }

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response) {
    const details = await this.host.provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      const stepUp = details.prompt.reasons.includes('acr_step_up') && details.session?.accountId;
      if (stepUp && details.prompt.reasons.length === 1) {
        const person = await this.people.findById(details.session!.accountId);
        // A code page for a person with no factor enrolled would be a dead end.
        if (!person?.totp_enabled) return this.finish(req, res, UNMET);
        return this.send(res, secondFactorPage(this.otpView(uid, person.id)));
      }
      return this.send(res, loginPage(await this.loginView(uid, details)));
    }
    return this.consent(uid, details, req, res, undefined);
  }

  @Post(':uid/login')
  async login(
    @Param('uid') uid: string,
    @Body() body: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const details = await this.host.provider.interactionDetails(req, res);
    if (!this.tokens.checkCsrf(uid, body.csrf)) {
      return this.send(
        res,
        loginPage({ ...(await this.loginView(uid, details)), error: EXPIRED }),
        403,
      );
    }
    const outcome = await this.signIn.withPassword(
      body.identifier ?? '',
      body.password ?? '',
      req.ip ?? '',
    );
    if (!outcome.ok) {
      const error =
        outcome.reason === 'locked'
          ? {
              zh: `尝试次数过多，已暂时锁定，请于 ${minutes(outcome.until)} 分钟后再试。`,
              en: `Too many attempts; locked for ${minutes(outcome.until)} more minutes.`,
            }
          : INVALID;
      const view = await this.loginView(uid, details);
      // Both fields are marked: saying which one is wrong would tell whether the account exists.
      const fieldErrors =
        outcome.reason === 'invalid' ? { identifier: CHECK_ID, password: CHECK_PASSWORD } : {};
      return this.send(
        res,
        loginPage({ ...view, identifier: body.identifier, error, fieldErrors }),
        outcome.reason === 'locked' ? 429 : 401,
      );
    }
    const person = outcome.person;
    const required = this.host.ladder.required(details.params.acr_values as string | undefined);
    if (required?.evidence.includes('otp') || person.totp_enabled) {
      if (!person.totp_enabled && required?.evidence.includes('otp')) {
        // The level asks for a factor this person has not enrolled: it cannot be reached.
        return this.finish(req, res, UNMET);
      }
      return this.send(res, secondFactorPage(this.otpView(uid, person.id)));
    }
    return this.finishLogin(req, res, person.id, ['pwd']);
  }

  @Post(':uid/otp')
  async otp(
    @Param('uid') uid: string,
    @Body() body: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const details = await this.host.provider.interactionDetails(req, res);
    const personId = this.tokens.readPending(uid, body.pending);
    if (!personId || !this.tokens.checkCsrf(uid, body.csrf)) {
      return this.send(
        res,
        loginPage({ ...(await this.loginView(uid, details)), error: EXPIRED }),
        403,
      );
    }
    if (!(await this.signIn.secondFactor(personId, body.code ?? '', req.ip ?? ''))) {
      return this.send(
        res,
        secondFactorPage({ ...this.otpView(uid, personId), error: BAD_CODE }),
        401,
      );
    }
    return this.finishLogin(req, res, personId, ['pwd', 'otp']);
  }

  @Post(':uid/consent')
  async confirm(
    @Param('uid') uid: string,
    @Body() body: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const details = await this.host.provider.interactionDetails(req, res);
    if (!this.tokens.checkCsrf(uid, body.csrf) || details.prompt.name !== 'consent') {
      return this.send(
        res,
        loginPage({ ...(await this.loginView(uid, details)), error: EXPIRED }),
        403,
      );
    }
    return this.consent(uid, details, req, res, body.organisation ?? '');
  }

  @Post(':uid/abort')
  async abort(
    @Param('uid') uid: string,
    @Body() body: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.host.provider.interactionDetails(req, res);
    if (!this.tokens.checkCsrf(uid, body.csrf)) return this.send(res, 'Forbidden', 403);
    return this.finish(req, res, {
      error: 'access_denied',
      error_description: 'the user cancelled',
    });
  }

  /** Shows the consent page, or grants at once for a first-party client with nothing to choose. */
  private async consent(
    uid: string,
    details: InteractionDetails,
    req: Request,
    res: Response,
    chosen: string | undefined,
  ) {
    const accountId = details.session!.accountId;
    const clientId = details.params.client_id as string;
    const client = await this.clients.findClientMetadata(clientId);
    const agencies = await this.organisations.activeAgencies(accountId);
    const firstParty = client?.first_party === true;
    if (chosen === undefined && (!firstParty || agencies.length > 0)) {
      const person = await this.people.findById(accountId);
      const d = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      const scopes = [
        ...(d.missingOIDCScope ?? []),
        ...Object.values(d.missingResourceScopes ?? {}).flat(),
      ];
      return this.send(
        res,
        consentPage({
          action: `${this.base}/${uid}/consent`,
          abort: `${this.base}/${uid}/abort`,
          csrf: this.tokens.csrf(uid),
          clientName: String(client?.client_name ?? clientId),
          scopes,
          organisations: agencies.map((a) => ({
            id: a.organisation_id,
            name: a.name,
            uscc: a.uscc,
          })),
          personName: person?.name ?? '',
          askConsent: !firstParty,
        }),
      );
    }
    const organisation = chosen ? agencies.find((a) => a.organisation_id === chosen) : undefined;
    const grantId = await this.saveGrant(details, accountId, clientId);
    // A grant is reused when the person consents again in the same session: choosing
    // "myself" must clear an earlier choice, or its tokens would still carry `org` and roles.
    if (organisation) {
      await this.organisations.setActing(grantId, accountId, organisation.organisation_id);
    } else {
      await this.organisations.clearActing(grantId);
    }
    await this.audit.append({
      action: 'consent.granted',
      actor: accountId,
      subject: `client:${clientId}`,
      details: { grantId, organisationId: organisation?.organisation_id, firstParty },
    });
    return this.finish(req, res, { consent: { grantId } }, true);
  }

  private async saveGrant(
    details: InteractionDetails,
    accountId: string,
    clientId: string,
  ): Promise<string> {
    const provider = this.host.provider;
    const grant =
      (details.grantId && (await provider.Grant.find(details.grantId))) ||
      new provider.Grant({ accountId, clientId });
    const d = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    return grant.save();
  }

  private async finishLogin(req: Request, res: Response, accountId: string, amr: string[]) {
    const acr = this.host.ladder.reached(amr)?.acr;
    return this.finish(req, res, { login: { accountId, acr, amr } });
  }

  private async finish(
    req: Request,
    res: Response,
    result: Record<string, unknown>,
    merge = false,
  ) {
    await this.host.provider.interactionFinished(req, res, result, {
      mergeWithLastSubmission: merge,
    });
  }

  private async loginView(uid: string, details: InteractionDetails) {
    const clientId = details.params.client_id as string;
    const client = await this.clients.findClientMetadata(clientId);
    return {
      action: `${this.base}/${uid}/login`,
      abort: `${this.base}/${uid}/abort`,
      csrf: this.tokens.csrf(uid),
      clientName: String(client?.client_name ?? clientId),
    };
  }

  private otpView(uid: string, personId: string) {
    return {
      action: `${this.base}/${uid}/otp`,
      csrf: this.tokens.csrf(uid),
      pending: this.tokens.pending(uid, personId),
    };
  }

  private send(res: Response, html: string, status = 200) {
    res.status(status).type('html').setHeader('cache-control', 'no-store').send(html);
  }
}

function minutes(until: Date): number {
  return Math.max(1, Math.ceil((new Date(until).getTime() - Date.now()) / 60000));
}
