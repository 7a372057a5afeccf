/** Keys whose values never reach a log line, at any depth pino looks (up to three levels). */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'id_token',
  'code_verifier',
  'authorization',
  'cookie',
  'set-cookie',
  'privateKey',
  'key',
  'masterKey',
  'idNumber',
  'holderCode',
  'phone',
  'mobile',
  'totpSecret',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => {
  const p = /^[A-Za-z_]\w*$/.test(k) ? k : `["${k}"]`;
  const dot = p.startsWith('[') ? '' : '.';
  return [p, `*${dot}${p}`, `*.*${dot}${p}`];
}).concat(['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]']);

// GB 11643 resident ID numbers and mainland mobile numbers, wherever they appear in text.
const RESIDENT_ID = /(?<![0-9])([1-9][0-9]{5})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])/g;
const MOBILE = /(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])/g;

/** Masks personal identifiers inside free text: 110101********123X, 138****5678. */
export function maskPersonalIdentifiers(text: string): string {
  return text.replace(RESIDENT_ID, '$1********$2').replace(MOBILE, '$1****$2');
}

/** Masks every string in a log object, depth-limited so a large object costs little. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalIdentifiers(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
  return out;
}
