import { hidden } from '../interaction/pages/interaction-pages.js';
import { alert, bi, esc, field, page, type Message } from '../interaction/pages/layout.js';

const TITLE = { zh: '账号安全', en: 'Account security' };

export interface AccountView {
  /** The page's own path; each form posts below it. */
  base: string;
  csrf: string;
  name: string;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  /** Which form the error belongs to, so that only its password field is marked. */
  failed?: 'start' | 'codes' | 'remove';
  error?: Message;
  notice?: Message;
}

/** One form that asks for the password again before it changes anything. */
function passwordForm(
  v: AccountView,
  form: 'start' | 'codes' | 'remove',
  path: string,
  button: Message,
) {
  return `<form method="post" action="${esc(`${v.base}/${path}`)}">
${hidden({ csrf: v.csrf })}
${field({
  id: `password-${form}`,
  name: 'password',
  type: 'password',
  label: { zh: '当前密码', en: 'Current password' },
  attrs: 'required autocomplete="current-password"',
  error: v.failed === form ? v.error : undefined,
})}
<button type="submit">${bi(button.zh, button.en)}</button>
</form>`;
}

/** The signed-in person's second factor: enrol, new recovery codes, remove. */
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
${body}`,
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
<p>${bi('密钥', 'Key')}: <code id="totp-secret">${esc(grouped)}</code></p>
<p><a href="${esc(o.uri)}" id="totp-uri">${esc(o.uri)}</a></p>
${alert(o.error)}
<form method="post" action="${esc(o.action)}">
${hidden({ csrf: o.csrf, pending: o.pending })}
${field({
  id: 'code',
  label: { zh: '动态码', en: 'One-time code' },
  attrs: 'required autofocus inputmode="numeric" autocomplete="one-time-code"',
  error: o.error,
})}
<button type="submit">${bi('确认启用', 'Confirm')}</button>
</form>`,
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
