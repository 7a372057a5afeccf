import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccountError } from '../accounts/account.errors.js';
import { PasswordService } from '../accounts/password.service.js';
import { TotpService } from '../accounts/totp.service.js';
import type { Message } from '../interaction/pages/layout.js';
import { AccountSession, EXPIRED, type Form } from './account-session.js';
import { enrolmentPage, recoveryCodesPage, signedOutPage } from './account-pages.js';

const BAD_CODE: Message = { zh: '动态码错误。', en: 'The code is wrong.' };
const REMOVED: Message = { zh: '已解除动态码。', en: 'The second factor was removed.' };
const MISMATCH: Message = { zh: '两次输入的新密码不一致。', en: 'The new passwords differ.' };
const WEAK: Message = {
  zh: '新密码至少需要 10 个字符，且不超过 200 个。',
  en: 'A new password needs 10 to 200 characters.',
};
const CHANGED: Message = {
  zh: '密码已修改，其他设备上的登录已失效。',
  en: 'The password was changed; signing in elsewhere has ended.',
};

const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');

/**
 * The signed-in person's own security settings at `/identity/account`: enrol a TOTP second
 * factor, new recovery codes, remove the factor (AccountSession: who, CSRF, the password).
 */
@ApiExcludeController()
@Controller('account')
export class AccountSecurityController {
  constructor(
    private readonly session: AccountSession,
    private readonly totp: TotpService,
    private readonly passwords: PasswordService,
  ) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response) {
    const who = await this.session.signedIn(req, res);
    if (!who) return this.session.send(res, signedOutPage(), 401);
    return this.session.page(res, who);
  }

  @Post('totp')
  async start(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.session.checked(req, res, body, 'start');
    if (!who) return;
    if (who.person.totp_enabled) return res.redirect(303, this.session.base);

    const { secret, uri, pending } = this.totp.begin(who.person);
    const action = `${this.session.base}/totp/confirm`;
    return this.session.send(res, enrolmentPage({ action, csrf: who.csrf, secret, uri, pending }));
  }

  @Post('totp/confirm')
  async confirm(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.session.signedIn(req, res);
    if (!who) return this.session.send(res, signedOutPage(), 401);
    const pending = text(body.pending);
    const secret = this.totp.pendingSecret(who.person.id, pending);
    if (!this.session.checkCsrf(who, body.csrf) || !secret) {
      return this.session.page(res, who, { error: EXPIRED }, 403);
    }

    const codes = await this.totp.confirm(who.person.id, pending, text(body.code), who.person.id);
    if (!codes) {
      const uri = this.totp.uri(who.person, secret);
      const action = `${this.session.base}/totp/confirm`;
      const view = { action, csrf: who.csrf, secret, uri, pending, error: BAD_CODE };
      return this.session.send(res, enrolmentPage(view), 401);
    }
    return this.session.send(res, recoveryCodesPage({ codes, back: this.session.base }));
  }

  @Post('recovery-codes')
  async regenerate(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.session.checked(req, res, body, 'codes');
    if (!who) return;
    if (!who.person.totp_enabled) return res.redirect(303, this.session.base);

    const codes = await this.totp.regenerateRecoveryCodes(who.person.id, who.person.id);
    return this.session.send(res, recoveryCodesPage({ codes, back: this.session.base }));
  }

  @Post('totp/remove')
  async remove(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.session.checked(req, res, body, 'remove');
    if (!who) return;

    await this.totp.remove(who.person.id, who.person.id);
    return this.session.page(res, who, { notice: REMOVED });
  }

  /** A new password (the same policy as at creation); other sessions and grants end. */
  @Post('password')
  async changePassword(@Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const who = await this.session.checked(req, res, body, 'password');
    if (!who) return;
    const password = text(body.newPassword);
    if (password !== text(body.newPasswordAgain)) {
      return this.session.page(res, who, { failed: 'new-password', error: MISMATCH }, 400);
    }

    try {
      await this.passwords.change(who.person.id, password, { uid: who.uid, grants: who.grants });
    } catch (err) {
      if (!(err instanceof AccountError)) throw err;
      return this.session.page(res, who, { failed: 'new-password', error: WEAK }, err.status);
    }
    return this.session.page(res, who, { notice: CHANGED });
  }
}
