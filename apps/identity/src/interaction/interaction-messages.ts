import type { Message } from './pages/interaction-pages.js';

/** What the interaction pages say when a step fails (zh-CN first, then English). */
export const INVALID: Message = { zh: '账号或密码错误。', en: 'The account or password is wrong.' };
export const CHECK_ID: Message = {
  zh: '请核对证件号码、手机号或用户名。',
  en: 'Check the ID number, mobile number or username.',
};
export const CHECK_PASSWORD: Message = { zh: '请核对密码。', en: 'Check the password.' };
export const PASSWORDS_DIFFER: Message = {
  zh: '两次输入的新密码不一致。',
  en: 'The new passwords differ.',
};
export const WEAK_PASSWORD: Message = {
  zh: '新密码至少需要 10 个字符，且不超过 200 个。',
  en: 'A new password needs 10 to 200 characters.',
};
export const BAD_CODE: Message = {
  zh: '动态码错误或已使用。',
  en: 'The code is wrong or was already used.',
};
export const EXPIRED: Message = {
  zh: '页面已过期，请重新登录。',
  en: 'The page has expired; sign in again.',
};

/**
 * The answer to the client when the person cannot reach the level it asked for (OpenID
 * Connect Core Unmet Authentication Requirements 1.0, section 2), so that it can offer
 * another way instead of the person meeting a page they cannot get past.
 */
export const UNMET = {
  error: 'unmet_authentication_requirements',
  error_description: 'the requested assurance level cannot be met: no second factor enrolled',
};
