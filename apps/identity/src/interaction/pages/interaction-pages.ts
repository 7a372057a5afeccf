import { alert, bi, esc, field, page, type Message } from './layout.js';

export type { Message };

export function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
}

/** The form that asks for a one-time code (sign-in's second factor, enrolment's first code). */
export function oneTimeCodeForm(o: {
  action: string;
  csrf: string;
  pending: string;
  error?: Message;
  submit: Message;
}): string {
  return `${alert(o.error)}
<form method="post" action="${esc(o.action)}">
${hidden({ csrf: o.csrf, pending: o.pending })}
${field({
  id: 'code',
  label: { zh: '动态码', en: 'One-time code' },
  attrs: 'required autofocus inputmode="numeric" autocomplete="one-time-code"',
  error: o.error,
})}
<button type="submit">${bi(o.submit.zh, o.submit.en)}</button>
</form>`;
}

export function loginPage(o: {
  action: string;
  csrf: string;
  clientName: string;
  identifier?: string;
  /** The page's summary of what went wrong. */
  error?: Message;
  /** Each field's own error text. */
  fieldErrors?: { identifier?: Message; password?: Message };
  abort: string;
}) {
  return page(
    { zh: '统一身份认证登录', en: 'Sign in' },
    `<p>${bi(`登录以继续访问「${o.clientName}」`, `Sign in to continue to ${o.clientName}`)}</p>
${alert(o.error)}
<form method="post" action="${esc(o.action)}" autocomplete="on">
${hidden({ csrf: o.csrf })}
${field({
  id: 'identifier',
  label: { zh: '证件号码、手机号或用户名', en: 'ID number, mobile number or username' },
  attrs: 'required autofocus autocomplete="username"',
  value: o.identifier ?? '',
  error: o.fieldErrors?.identifier,
})}
${field({
  id: 'password',
  type: 'password',
  label: { zh: '密码', en: 'Password' },
  attrs: 'required autocomplete="current-password"',
  error: o.fieldErrors?.password,
})}
<button type="submit">${bi('登录', 'Sign in')}</button>
</form>
<form method="post" action="${esc(o.abort)}">${hidden({ csrf: o.csrf })}
<button type="submit" class="secondary">${bi('取消', 'Cancel')}</button></form>`,
  );
}

export function secondFactorPage(o: {
  action: string;
  csrf: string;
  pending: string;
  error?: Message;
}) {
  return page(
    { zh: '二次验证', en: 'Second factor' },
    `<p>${bi('请输入身份验证器应用中的 6 位动态码，或一个恢复码。', 'Enter the 6-digit code from your authenticator app, or a recovery code.')}</p>
${oneTimeCodeForm({ ...o, submit: { zh: '验证', en: 'Verify' } })}`,
  );
}

/** After an administrator's reset: a new password before the sign-in goes on. */
export function newPasswordPage(o: {
  action: string;
  csrf: string;
  pending: string;
  error?: Message;
}) {
  const attrs = 'required minlength="10" maxlength="200" autocomplete="new-password"';
  return page(
    { zh: '设置新密码', en: 'Set a new password' },
    `<p>${bi('您使用的是管理员设置的临时密码，请设置新密码（至少 10 个字符）后继续。', 'You signed in with a temporary password set by an administrator; set a new one (at least 10 characters) to go on.')}</p>
${alert(o.error)}
<form method="post" action="${esc(o.action)}">
${hidden({ csrf: o.csrf, pending: o.pending })}
${field({
  id: 'new-password',
  name: 'newPassword',
  type: 'password',
  label: { zh: '新密码', en: 'New password' },
  attrs: `${attrs} autofocus`,
  error: o.error,
})}
${field({
  id: 'new-password-again',
  name: 'newPasswordAgain',
  type: 'password',
  label: { zh: '再次输入新密码', en: 'New password again' },
  attrs,
})}
<button type="submit">${bi('设置并继续', 'Set and go on')}</button>
</form>`,
  );
}

/** What each scope lets the system do, in the person's words; the scope name follows it. */
const SCOPE_TEXT: Record<string, Message> = {
  openid: { zh: '确认您的身份', en: 'Confirm who you are' },
  offline_access: { zh: '在您离开后继续访问', en: 'Keep access while you are away' },
  profile: { zh: '姓名等基本信息', en: 'Your name and basic profile' },
  email: { zh: '电子邮箱', en: 'Your email address' },
  phone: { zh: '手机号码', en: 'Your mobile number' },
  idcard: { zh: '证件类型和号码', en: 'Your ID document type and number' },
  org: { zh: '您代表办事的单位', en: 'The organisation you act for' },
  'seal:read': { zh: '查看电子印章', en: 'View electronic seals' },
  'seal:manage': { zh: '管理电子印章', en: 'Manage electronic seals' },
  'seal:approve': { zh: '审批电子印章', en: 'Approve electronic seals' },
  'seal:apply': { zh: '使用电子印章盖章', en: 'Seal documents with electronic seals' },
  'license:admin': { zh: '管理电子证照目录', en: 'Administer the license catalogue' },
  'license:issue': { zh: '签发电子证照', en: 'Issue licenses' },
  'license:holder': { zh: '查看和授权您的电子证照', en: 'View and share your licenses' },
  'license:read': { zh: '读取授权的电子证照', en: 'Read licenses shared with it' },
  'archive:ingest': { zh: '归档电子文件', en: 'Archive records' },
  'archive:read': { zh: '检索和利用电子档案', en: 'Search and use archived records' },
  'archive:dispose': { zh: '鉴定和销毁电子档案', en: 'Appraise and dispose of records' },
  'archive:admin': { zh: '管理电子档案', en: 'Administer the archive' },
};

function scopeItem(scope: string): string {
  const text = SCOPE_TEXT[scope];
  return text
    ? `<li>${esc(text.zh)} <code>${esc(scope)}</code> <span lang="en" class="en">${esc(text.en)}</span></li>`
    : `<li><code>${esc(scope)}</code></li>`;
}

export function consentPage(o: {
  action: string;
  abort: string;
  csrf: string;
  clientName: string;
  scopes: string[];
  organisations: { id: string; name: string; uscc: string }[];
  personName: string;
  askConsent: boolean;
}) {
  const orgs = o.organisations.length
    ? `<fieldset><legend>${bi('选择办事身份', 'Act as')}</legend>
<div><input type="radio" id="org-self" name="organisation" value="" checked><label for="org-self" style="display:inline">${bi(`本人（${o.personName}）`, `Myself (${o.personName})`)}</label></div>
${o.organisations
  .map(
    (g, i) =>
      `<div><input type="radio" id="org-${i}" name="organisation" value="${esc(g.id)}"><label for="org-${i}" style="display:inline">${bi(`${g.name}（${g.uscc}）经办人`, `Agent of ${g.name} (${g.uscc})`)}</label></div>`,
  )
  .join('\n')}</fieldset>`
    : '';
  const consent = o.askConsent
    ? `<p>${bi(`「${o.clientName}」请求以下权限：`, `${o.clientName} asks for:`)}</p>
<ul>${o.scopes.map(scopeItem).join('')}</ul>`
    : '';
  return page(
    {
      zh: o.askConsent ? '授权确认' : '选择办事身份',
      en: o.askConsent ? 'Authorise' : 'Choose who you act as',
    },
    `${consent}
<form method="post" action="${esc(o.action)}">
${hidden({ csrf: o.csrf })}
${orgs}
<button type="submit" autofocus>${bi('同意并继续', 'Allow and continue')}</button>
</form>
<form method="post" action="${esc(o.abort)}">${hidden({ csrf: o.csrf })}
<button type="submit" class="secondary">${bi('拒绝', 'Deny')}</button></form>`,
  );
}
