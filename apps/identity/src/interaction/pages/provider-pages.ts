import { alert, bi, esc, page } from './layout.js';

/** The provider's own error page (invalid redirect URI, unknown client, expired interaction). */
export function renderErrorPage(_ctx: unknown, out: Record<string, string>): string {
  return page(
    { zh: '无法完成登录', en: 'Sign-in cannot continue' },
    `${alert({ zh: '请求无效或已过期，请返回业务系统重新发起。', en: 'The request is invalid or has expired; go back to the service and start again.' })}
<dl><dt>error</dt><dd><code>${esc(out.error)}</code></dd>
${out.error_description ? `<dt>error_description</dt><dd>${esc(out.error_description)}</dd>` : ''}</dl>`,
  );
}

/** RP-initiated logout confirmation (OpenID Connect RP-Initiated Logout 1.0 section 2). */
export function renderLogoutPage(_ctx: unknown, form: string): string {
  return page(
    { zh: '退出登录', en: 'Sign out' },
    `<p>${bi('是否同时退出统一身份认证平台？', 'Do you also want to sign out of the unified identity platform?')}</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${bi('是，全部退出', 'Yes, sign me out')}</button>
<button class="secondary" type="submit" form="op.logoutForm">${bi('否，保持登录', 'No, stay signed in')}</button>`,
  );
}

export function renderLogoutSuccessPage(_ctx: unknown): string {
  return page(
    { zh: '已退出', en: 'Signed out' },
    `<p>${bi('您已安全退出，可以关闭此页面。', 'You have signed out. You can close this page.')}</p>`,
  );
}
