import { hidden } from '../interaction/pages/interaction-pages.js';
import { bi, esc, field, type Message } from '../interaction/pages/layout.js';
import type { AccountView } from './account-pages.js';

/**
 * One form that asks for the password again before it changes anything; `fields`: its other
 * fields, written before the password.
 */
export function passwordForm(
  v: AccountView,
  form: string,
  path: string,
  button: Message,
  fields = '',
) {
  return `<form method="post" action="${esc(`${v.base}/${path}`)}">
${hidden({ csrf: v.csrf })}
${fields}${field({
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
