import * as oidc from 'openid-client';
import { FormBrowser, formOf } from './browser.js';
import { DEMO } from '../bootstrap/demo-data.js';

export interface SignInOptions {
  identifier: string;
  password: string;
  /** Authorization request parameters besides redirect_uri and PKCE. */
  params: Record<string, string>;
  /** On the consent page, act for the organisation with this USCC (an agent, 经办人). */
  actFor?: string;
  /** Called with the second-factor page; returns the code to type. */
  secondFactor?: () => Promise<string>;
  /** After a temporary password: the new password to set when the page asks for one. */
  newPassword?: string;
}

export interface SignInResult {
  callback: URL;
  verifier: string;
  state: string;
}

/**
 * A relying party signing a person in through the real pages: authorization request with
 * PKCE (S256) and state, the sign-in form, the second factor if asked, the consent page
 * (choosing an organisation to act for), and back to the redirect URI.
 */
export async function signInThroughPages(
  config: oidc.Configuration,
  browser: FormBrowser,
  origin: string,
  redirectUri: string,
  o: SignInOptions,
): Promise<SignInResult> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...o.params,
  });
  let step = await browser.follow(await browser.get(url.href), origin);
  for (let i = 0; i < 5 && !step.location; i++) {
    const page = step.page ?? '';
    let form: { action: string; fields: Record<string, string> };
    if (page.includes('name="newPassword"')) {
      if (!o.newPassword) throw new Error('a new password was asked for');
      form = formOf(page, '/password');
      form.fields.newPassword = o.newPassword;
      form.fields.newPasswordAgain = o.newPassword;
    } else if (page.includes('name="password"')) {
      form = formOf(page, '/login');
      form.fields.identifier = o.identifier;
      form.fields.password = o.password;
    } else if (page.includes('name="code"')) {
      if (!o.secondFactor) throw new Error('a second factor was asked for');
      form = formOf(page, '/otp');
      form.fields.code = await o.secondFactor();
    } else if (page.includes('/consent"')) {
      form = formOf(page, '/consent');
      form.fields.organisation = o.actFor ? organisationChoice(page, o.actFor) : '';
    } else {
      throw new Error(`unexpected page (${step.status}): ${page.slice(0, 400)}`);
    }
    step = await browser.follow(
      await browser.post(new URL(form.action, origin).href, form.fields),
      origin,
    );
  }
  if (!step.location) throw new Error('the sign-in did not return to the relying party');
  return { callback: new URL(step.location), verifier, state };
}

/** The radio value of the organisation whose USCC or name is shown on the consent page. */
function organisationChoice(page: string, actFor: string): string {
  for (const m of page.matchAll(/name="organisation" value="([0-9a-f-]{36})">(.*?)<\/div>/gs)) {
    if (m[2]!.includes(actFor)) return m[1]!;
  }
  throw new Error(`no organisation ${actFor} offered on the consent page`);
}

/**
 * openid-client's configuration for the demo business system at `issuer` (plain HTTP is
 * allowed: the tests' servers listen on loopback without TLS).
 */
export function demoBusinessConfig(issuer: string): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    DEMO.business.clientId,
    undefined,
    oidc.ClientSecretBasic(DEMO.business.secret),
    { execute: [oidc.allowInsecureRequests] },
  );
}
