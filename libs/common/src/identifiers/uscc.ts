import { isValidDivisionCode } from './division-code.js';

// GB 32100-2015: 18 characters from 31 symbols (no I, O, Z, S, V).
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// W_i = 3^(i-1) mod 31, i = 1..17
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
// GB 11714-1997: organisation code, 8 characters + check; weights for positions 1..8.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type UsccProblem =
  'format' | 'registrationAuthority' | 'division' | 'organizationCode' | 'checkCharacter';

export interface UsccResult {
  valid: boolean;
  normalized: string;
  problem?: UsccProblem;
}

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  // C18 = 31 - (Σ mod 31); 31 stands for 0 (Σ mod 31 = 0 is where naive code gives 'Y'+1).
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** GB 11714 check character of an 8-character organisation code body (digits, A-Z). */
export function organizationCodeCheck(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i]!;
    const v = c >= '0' && c <= '9' ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c9 = 11 - (sum % 11);
  return c9 === 11 ? '0' : c9 === 10 ? 'X' : String(c9);
}

/**
 * Validates a unified social credit code (GB 32100): registration authority and entity kind,
 * division code, the embedded organisation code with its own GB 11714 check, and the
 * final check character. Lower-case input is accepted and normalised.
 *
 * @example
 *   parseUscc('91350100m000100y43').valid // true
 */
export function parseUscc(input: string): UsccResult {
  const normalized = input.trim().toUpperCase();
  if (normalized.length !== 18 || [...normalized].some((c) => !USCC_ALPHABET.includes(c))) {
    return { valid: false, normalized, problem: 'format' };
  }
  // Position 1: registration authority (1-9, A, N, Y); position 2: kind of entity (1-9).
  if (!/^[1-9ANY][1-9]/.test(normalized)) {
    return { valid: false, normalized, problem: 'registrationAuthority' };
  }
  if (!isValidDivisionCode(normalized.slice(2, 8)) && normalized.slice(2, 8) !== '100000') {
    return { valid: false, normalized, problem: 'division' };
  }
  const org = normalized.slice(8, 17);
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(org) || organizationCodeCheck(org.slice(0, 8)) !== org[8]) {
    return { valid: false, normalized, problem: 'organizationCode' };
  }
  if (usccCheckCharacter(normalized) !== normalized[17]) {
    return { valid: false, normalized, problem: 'checkCharacter' };
  }
  return { valid: true, normalized };
}

export function isValidUscc(input: string): boolean {
  return parseUscc(input).valid;
}

/**
 * Completes a code from its first 16 characters (authority, kind, division, 8-character
 * organisation code body): appends the GB 11714 organisation check and the GB 32100 check.
 *
 * @example
 *   completeUscc('91350100M000100Y') // '91350100M000100Y43'
 */
export function completeUscc(first16: string): string {
  const upper = first16.toUpperCase();
  const first17 = upper + organizationCodeCheck(upper.slice(8, 16));
  return first17 + usccCheckCharacter(first17);
}
