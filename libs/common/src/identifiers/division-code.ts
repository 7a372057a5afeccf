/**
 * Administrative division codes (GB/T 2260): six digits, province (2), prefecture (2),
 * county (2). The full catalogue changes yearly and is not shipped; the province part is
 * checked against the fixed list of provincial-level divisions.
 */
// prettier-ignore
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82',
]);

export function isValidDivisionCode(code: string): boolean {
  return /^[0-9]{6}$/.test(code) && PROVINCES.has(code.slice(0, 2));
}
