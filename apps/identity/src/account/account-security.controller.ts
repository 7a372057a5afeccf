import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { PersonRepository, type PersonRow } from '../accounts/person.repository.js';
import { SignInService } from '../accounts/sign-in.service.js';
import { TotpService } from '../accounts/totp.service.js';
import { deriveKey } from '../crypto/field-crypto.js';
import { InteractionTokens } from '../interaction/interaction-tokens.js';
import type { Message } from '../interaction/pages/layout.js';
import { ProviderHost } from '../oidc/provider-host.service.js';
import {
  accountPage,
  enrolmentPage,
  recoveryCodesPage,
  signedOutPage,
  type AccountView,
} from './account-pages.js';

const WRONG_PASSWORD: Message = { zh: '密码错误。', en: 'The password is wrong.' };
const LOCKED: Message = {
  zh: '尝试次数过多，已暂时锁定，请稍后再试。',
  en: 'Too many attempts; locked for a while.',
};
const EXPIRED: Message = {
  zh: '页面已过期，请重新操作。',
  en: 'The page has expired; try again.',
};
const BAD_CODE: Message = { zh: '动态码错误。', en: 'The code is wrong.' };
const REMOVED: Message = { zh: '已解除动态码。', en: 'The second factor was removed.' };

type Form = Record<string, string | undefined>;
interface SignedIn {
  person: PersonRow;
  /** What the CSRF token is bound to: this provider session. */
  session: string;
  csrf: string;
}

/**
 * The signed-in person's own security settings at `/identity/account`: enrol a TOTP second
 * factor, new recovery codes, remove the factor. The person is the one of the provider's
 * session cookie (the same sign-in as every business system's); each change asks for the
 * password again (NIST SP 800-63B 6.1.2.3: re-authenticate before binding an authenticator)
 * and every form carries a CSRF token bound to that session.
 */
@ApiExcludeController()
@Controller('account')
export class AccountSecurityController {
  private readonly tokens: InteractionTokens;
  private readonly base: string;

  constructor(
    @Inject(SUITE_CONTEXT) ctx: SuiteContext,
    private readonly host: ProviderHost,
    private readonly people: PersonRepository,
    private readonly signIn: SignInService,
    private readonly totp: TotpService,
  ) {
    this.tokens = new InteractionTokens(deriveKey(ctx.masterKey, 'account-page'));
    this.base = `${new URL(ctx.publicUrls.identity).pathname.replace(/\/$/, '')}/account`;
  }

  @Get()
  async show(@Req() req: Request, @Res() res: Response) {
    const who = await this.signedIn(req, res);
    if (!who) return this.send(res, signedOutPage(), 401);
    return this.send(res, accountPage(this.view(who)));
  }

  @Post('totp')
  async start(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.checked(req, res, body, 'start');
    if (!who) return;
    if (who.person.totp_enabled) return res.redirect(303, this.base);

    const { secret, uri, pending } = this.totp.begin(who.person);
    return this.send(
      res,
      enrolmentPage({ action: `${this.base}/totp/confirm`, csrf: who.csrf, secret, uri, pending }),
    );
  }

  @Post('totp/confirm')
  async confirm(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.signedIn(req, res);
    if (!who) return this.send(res, signedOutPage(), 401);
    const pending = body.pending ?? '';
    const secret = this.totp.pendingSecret(who.person.id, pending);
    if (!this.tokens.checkCsrf(who.session, body.csrf) || !secret) {
      return this.send(res, accountPage({ ...this.view(who), error: EXPIRED }), 403);
    }

    const codes = await this.totp.confirm(who.person.id, pending, body.code ?? '', who.person.id);
    if (!codes) {
      const uri = this.totp.uri(who.person, secret);
      const action = `${this.base}/totp/confirm`;
      const view = { action, csrf: who.csrf, secret, uri, pending, error: BAD_CODE };
      return this.send(res, enrolmentPage(view), 401);
    }
    return this.send(res, recoveryCodesPage({ codes, back: this.base }));
  }

  @Post('recovery-codes')
  async regenerate(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.checked(req, res, body, 'codes');
    if (!who) return;
    if (!who.person.totp_enabled) return res.redirect(303, this.base);

    const codes = await this.totp.regenerateRecoveryCodes(who.person.id, who.person.id);
    return this.send(res, recoveryCodesPage({ codes, back: this.base }));
  }

  @Post('totp/remove')
  async remove(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.checked(req, res, body, 'remove');
    if (!who) return;

    await this.totp.remove(who.person.id, who.person.id);
    const person = (await this.people.findById(who.person.id))!;
    return this.send(res, accountPage({ ...this.view({ ...who, person }), notice: REMOVED }));
  }

  /** The signed-in person, once the form's CSRF token and the password are right. */
  private async checked(
    req: Request,
    res: Response,
    body: Form,
    form: NonNullable<AccountView['failed']>,
  ): Promise<SignedIn | undefined> {
    const who = await this.signedIn(req, res);
    if (!who) {
      this.send(res, signedOutPage(), 401);
      return undefined;
    }
    if (!this.tokens.checkCsrf(who.session, body.csrf)) {
      this.send(res, accountPage({ ...this.view(who), error: EXPIRED }), 403);
      return undefined;
    }

    const check = await this.signIn.confirmPassword(
      who.person.id,
      body.password ?? '',
      req.ip ?? '',
    );
    if (check !== 'ok') {
      const error = check === 'locked' ? LOCKED : WRONG_PASSWORD;
      this.send(
        res,
        accountPage({ ...this.view(who), failed: form, error }),
        check === 'locked' ? 429 : 401,
      );
      return undefined;
    }
    return who;
  }

  private async signedIn(req: Request, res: Response): Promise<SignedIn | undefined> {
    const session = await this.host.provider.Session.get({ req, res });
    const person = session.accountId ? await this.people.findById(session.accountId) : undefined;
    if (!person || person.disabled) return undefined;
    const bound = `account\0${session.uid}`;
    return { person, session: bound, csrf: this.tokens.csrf(bound) };
  }

  private view(who: SignedIn): AccountView {
    return {
      base: this.base,
      csrf: who.csrf,
      name: who.person.name,
      totpEnabled: who.person.totp_enabled,
      recoveryCodesLeft: who.person.recovery_codes.length,
    };
  }

  private send(res: Response, html: string, status = 200) {
    res.status(status).type('html').setHeader('cache-control', 'no-store').send(html);
  }
}
