import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { InteractionDetails } from 'oidc-provider';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { AccountError } from '../accounts/account.errors.js';
import { PasswordService } from '../accounts/password.service.js';
import { PersonRepository, type PersonRow } from '../accounts/person.repository.js';
import { SignInService } from '../accounts/sign-in.service.js';
import { ClientRegistryService } from '../clients/client-registry.service.js';
import { deriveKey } from '../crypto/field-crypto.js';
import { ProviderHost } from '../oidc/provider-host.service.js';
import { ConsentStep } from './consent-step.service.js';
import {
  BAD_CODE,
  CHECK_ID,
  CHECK_PASSWORD,
  EXPIRED,
  INVALID,
  PASSWORDS_DIFFER,
  UNMET,
  WEAK_PASSWORD,
} from './interaction-messages.js';
import { InteractionTokens } from './interaction-tokens.js';
import {
  consentPage,
  loginPage,
  newPasswordPage,
  secondFactorPage,
  type Message,
} from './pages/interaction-pages.js';

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
    private readonly clients: ClientRegistryService,
    private readonly passwords: PasswordService,
    private readonly consentStep: ConsentStep,
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
    return this.finishLogin(uid, req, res, person.id, ['pwd'], person);
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
    return this.finishLogin(uid, req, res, personId, ['pwd', 'otp']);
  }

  /** The new password a person signed in with a temporary one must set before going on. */
  @Post(':uid/password')
  async newPassword(
    @Param('uid') uid: string,
    @Body() body: Form,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const details = await this.host.provider.interactionDetails(req, res);
    // `{personId}~{amr}`: issued only once every factor was passed (finishLogin).
    const [personId, amr] = (this.tokens.readPending(uid, body.pending) ?? '').split('~');
    if (!personId || !amr || !this.tokens.checkCsrf(uid, body.csrf)) {
      const view = await this.loginView(uid, details);
      return this.send(res, loginPage({ ...view, error: EXPIRED }), 403);
    }
    const again = (error: Message, status: number) =>
      this.send(res, newPasswordPage({ ...this.newPasswordView(uid, body), error }), status);
    if (body.newPassword !== body.newPasswordAgain) return again(PASSWORDS_DIFFER, 400);

    try {
      await this.passwords.change(personId, body.newPassword ?? '');
    } catch (err) {
      if (err instanceof AccountError) return again(WEAK_PASSWORD, err.status);
      throw err;
    }
    const acr = this.host.ladder.reached(amr.split('+'))?.acr;
    return this.finish(req, res, { login: { accountId: personId, acr, amr: amr.split('+') } });
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
    if (chosen === undefined) {
      const question = await this.consentStep.question(details);
      if (question.ask) {
        return this.send(
          res,
          consentPage({
            action: `${this.base}/${uid}/consent`,
            abort: `${this.base}/${uid}/abort`,
            csrf: this.tokens.csrf(uid),
            ...question,
          }),
        );
      }
    }
    const grantId = await this.consentStep.grant(details, chosen ?? '');
    return this.finish(req, res, { consent: { grantId } }, true);
  }

  /**
   * Ends the login, unless the person must first replace a temporary password. `read` is the
   * person's row when this request has just read it (the password step): not read again.
   */
  private async finishLogin(
    uid: string,
    req: Request,
    res: Response,
    accountId: string,
    amr: string[],
    read?: PersonRow,
  ) {
    const person = read ?? (await this.people.findById(accountId));
    if (person?.password_must_change) {
      const pending = this.tokens.pending(uid, `${accountId}~${amr.join('+')}`);
      return this.send(res, newPasswordPage({ ...this.newPasswordView(uid, { pending }) }));
    }
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

  private newPasswordView(uid: string, body: Form) {
    return {
      action: `${this.base}/${uid}/password`,
      csrf: this.tokens.csrf(uid),
      pending: body.pending ?? '',
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
