import { oneTimeCodeForm } from '../interaction/pages/interaction-pages.js';
import type { RepresentedOrganisation } from '../accounts/legal-representative.service.js';
import { alert, bi, esc, field, page, type Message } from '../interaction/pages/layout.js';
import { passwordForm } from './account-forms.js';
import { organisationsSection } from './organisation-pages.js';

const TITLE = { zh: '账号安全', en: 'Account security' };

export interface AccountView {
  /** The page's own path; each form posts below it. */
  base: string;
  csrf: string;
  name: string;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  /** Organisations whose legal representative the person is (我的单位). */
  organisations?: RepresentedOrganisation[];
  /**
   * Which form the error belongs to, so that only its field is marked: `start`, `codes`,
   * `remove`, `password` (the current password), `new-password`, or an organisation form.
   */
  failed?: string;
  error?: Message;
  notice?: Message;
}

/** A new password, twice, with the same policy as at creation (at least 10 characters). */
function passwordChange(v: AccountView): string {
  const newError = v.failed === 'new-password' ? v.error : undefined;
  const fields = `${field({
    id: 'new-password',
    name: 'newPassword',
    type: 'password',
    label: { zh: '新密码（至少 10 个字符）', en: 'New password (at least 10 characters)' },
    attrs: 'required minlength="10" maxlength="200" autocomplete="new-password"',
    error: newError,
  })}
${field({
  id: 'new-password-again',
  name: 'newPasswordAgain',
  type: 'password',
  label: { zh: '再次输入新密码', en: 'New password again' },
  attrs: 'required minlength="10" maxlength="200" autocomplete="new-password"',
})}
`;
  return `<h2>${bi('修改密码', 'Change the password')}</h2>
${passwordForm(v, 'password', 'password', { zh: '修改密码', en: 'Change the password' }, fields)}
<p>${bi('修改后，其他设备上的登录将失效。', 'Signing in elsewhere ends once it is changed.')}</p>`;
}

/**
 * The signed-in person's account: second factor (enrol, new recovery codes, remove), the
 * password, and the organisations they represent with their agents.
 */
export function accountPage(v: AccountView): string {
  const notice = v.notice ? `<p role="status">${bi(v.notice.zh, v.notice.en)}</p>` : '';
  const body = v.totpEnabled
    ? `<p>${bi('已启用身份验证器动态码（TOTP）。', 'An authenticator app (TOTP) is enrolled.')}</p>
<p>${bi(`剩余恢复码：${v.recoveryCodesLeft} 个。`, `Recovery codes left: ${v.recoveryCodesLeft}.`)}</p>
<h2>${bi('重新生成恢复码', 'New recovery codes')}</h2>
${passwordForm(v, 'codes', 'recovery-codes', { zh: '生成新的恢复码', en: 'Generate new codes' })}
<h2>${bi('解除动态码', 'Remove the second factor')}</h2>
${passwordForm(v, 'remove', 'totp/remove', { zh: '解除', en: 'Remove' })}`
    : `<p>${bi('尚未启用二次验证。启用后，登录时除密码外还需输入动态码。', 'No second factor yet. Once enrolled, signing in asks for a one-time code besides the password.')}</p>
${passwordForm(v, 'start', 'totp', { zh: '启用身份验证器', en: 'Enrol an authenticator app' })}`;
  return page(
    TITLE,
    `<p>${bi(`${v.name}，您好。`, `Signed in as ${v.name}.`)}</p>
${notice}${alert(v.error)}
${body}
${passwordChange(v)}
${organisationsSection(v)}`,
  );
}

/** The new secret, to type or to open in an authenticator app, and the first code. */
export function enrolmentPage(o: {
  action: string;
  csrf: string;
  secret: string;
  uri: string;
  pending: string;
  error?: Message;
}): string {
  const grouped = o.secret.replace(/(.{4})/g, '$1 ').trim();
  return page(
    { zh: '启用身份验证器', en: 'Enrol an authenticator app' },
    `<p>${bi('在身份验证器应用中添加账号，输入下面的密钥或打开链接，然后输入应用显示的 6 位动态码。', 'Add an account in your authenticator app with the key below or the link, then enter the 6-digit code it shows.')}</p>
<p>${bi('密钥', 'Key')}<code class="secret" id="totp-secret">${esc(grouped)}</code></p>
<p><a href="${esc(o.uri)}" id="totp-uri">${esc(o.uri)}</a></p>
${oneTimeCodeForm({ ...o, submit: { zh: '确认启用', en: 'Confirm' } })}`,
  );
}

/** Recovery codes, shown this once only. */
export function recoveryCodesPage(o: { codes: string[]; back: string }): string {
  return page(
    { zh: '恢复码', en: 'Recovery codes' },
    `<p role="status">${bi('请立即妥善保存这些恢复码。每个只能使用一次，此页面不会再次显示。', 'Keep these codes safe now. Each works once; this page is not shown again.')}</p>
<ul id="recovery-codes">${o.codes.map((c) => `<li><code>${esc(c)}</code></li>`).join('')}</ul>
<p><a href="${esc(o.back)}">${bi('返回账号安全', 'Back to account security')}</a></p>`,
  );
}

/** No provider session: the page needs a sign-in first. */
export function signedOutPage(): string {
  return page(
    TITLE,
    `<p role="alert">${bi('请先通过任一业务系统登录统一身份认证，再打开此页面。', 'Sign in through any business system first, then open this page again.')}</p>`,
  );
}
