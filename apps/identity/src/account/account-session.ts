import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SUITE_CONTEXT, type SuiteContext } from '#common';
import { LegalRepresentativeService } from '../accounts/legal-representative.service.js';
import { PersonRepository, type PersonRow } from '../accounts/person.repository.js';
import { SignInService } from '../accounts/sign-in.service.js';
import { deriveKey } from '../crypto/field-crypto.js';
import { InteractionTokens } from '../interaction/interaction-tokens.js';
import type { Message } from '../interaction/pages/layout.js';
import { ProviderHost } from '../oidc/provider-host.service.js';
import { accountPage, signedOutPage, type AccountView } from './account-pages.js';

export type Form = Record<string, string | string[] | undefined>;

export interface SignedIn {
  person: PersonRow;
  /** The provider session's uid and its grants: kept when other sessions are ended. */
  uid: string;
  grants: string[];
  /** What the CSRF token is bound to: this provider session. */
  session: string;
  csrf: string;
}

const WRONG_PASSWORD: Message = { zh: '密码错误。', en: 'The password is wrong.' };
const LOCKED: Message = {
  zh: '尝试次数过多，已暂时锁定，请稍后再试。',
  en: 'Too many attempts; locked for a while.',
};
export const EXPIRED: Message = {
  zh: '页面已过期，请重新操作。',
  en: 'The page has expired; try again.',
};

/**
 * The signed-in person of the account pages: the one of the provider's session cookie (the
 * same sign-in as every business system's). Every change carries a CSRF token bound to that
 * session and asks for the password again (NIST SP 800-63B 6.1.2.3: re-authenticate before
 * changing authenticators or authorisations).
 */
@Injectable()
export class AccountSession {
  readonly base: string;
  private readonly tokens: InteractionTokens;

  constructor(
    @Inject(SUITE_CONTEXT) ctx: SuiteContext,
    private readonly host: ProviderHost,
    private readonly people: PersonRepository,
    private readonly signIn: SignInService,
    private readonly representatives: LegalRepresentativeService,
  ) {
    this.tokens = new InteractionTokens(deriveKey(ctx.masterKey, 'account-page'));
    this.base = `${new URL(ctx.publicUrls.identity).pathname.replace(/\/$/, '')}/account`;
  }

  async signedIn(req: Request, res: Response): Promise<SignedIn | undefined> {
    const session = await this.host.provider.Session.get({ req, res });
    const person = session.accountId ? await this.people.findById(session.accountId) : undefined;
    if (!person || person.disabled) return undefined;
    const bound = `account\0${session.uid}`;
    // oidc-provider keeps a session's grants by client (not in our declaration of its types).
    const { authorizations } = session as {
      authorizations?: Record<string, { grantId?: unknown }>;
    };
    const grants = Object.values(authorizations ?? {})
      .map((a) => a.grantId)
      .filter((g): g is string => typeof g === 'string');
    return { person, uid: session.uid, grants, session: bound, csrf: this.tokens.csrf(bound) };
  }

  checkCsrf(who: SignedIn, csrf: unknown): boolean {
    return typeof csrf === 'string' && this.tokens.checkCsrf(who.session, csrf);
  }

  /**
   * The signed-in person, once the form's CSRF token and the password are right; otherwise
   * the answer is sent (the account page with the error on `form`'s password field).
   */
  async checked(
    req: Request,
    res: Response,
    body: Form,
    form: string,
  ): Promise<SignedIn | undefined> {
    const who = await this.signedIn(req, res);
    if (!who) {
      this.send(res, signedOutPage(), 401);
      return undefined;
    }
    if (!this.checkCsrf(who, body.csrf)) {
      await this.page(res, who, { error: EXPIRED }, 403);
      return undefined;
    }

    const password = typeof body.password === 'string' ? body.password : '';
    const check = await this.signIn.confirmPassword(who.person.id, password, req.ip ?? '');
    if (check !== 'ok') {
      const error = check === 'locked' ? LOCKED : WRONG_PASSWORD;
      await this.page(res, who, { failed: form, error }, check === 'locked' ? 429 : 401);
      return undefined;
    }
    return who;
  }

  /** Sends the account page as it is now, with `extra` (a notice, an error). */
  async page(res: Response, who: SignedIn, extra: Partial<AccountView> = {}, status = 200) {
    const person = (await this.people.findById(who.person.id)) ?? who.person;
    this.send(res, accountPage({ ...(await this.view({ ...who, person })), ...extra }), status);
  }

  async view(who: SignedIn): Promise<AccountView> {
    return {
      base: this.base,
      csrf: who.csrf,
      name: who.person.name,
      totpEnabled: who.person.totp_enabled,
      recoveryCodesLeft: who.person.recovery_codes.length,
      organisations: await this.representatives.represented(who.person),
    };
  }

  send(res: Response, html: string, status = 200) {
    res.status(status).type('html').setHeader('cache-control', 'no-store').send(html);
  }
}
