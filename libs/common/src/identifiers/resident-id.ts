import { isValidDivisionCode } from './division-code.js';

// GB 11643-1999 section 8.2: weights W_i = 2^(17-i) mod 11, check from Σ mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type ResidentIdProblem = 'format' | 'division' | 'birthDate' | 'checkDigit';

export interface ResidentIdResult {
  valid: boolean;
  /** Upper-cased form (a lower-case `x` check digit is accepted and normalised). */
  normalized: string;
  problem?: ResidentIdProblem;
  birthDate?: string;
  /** 'M' or 'F', from the parity of the sequence code (GB 11643 section 6.3). */
  sex?: 'M' | 'F';
}

export function residentIdCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * Validates a citizen identity number (GB 11643): 6-digit division code, a real birth date
 * not in the future, 3-digit sequence, check digit.
 *
 * @example
 *   parseResidentId('11010519491231002x').valid // true, normalized '11010519491231002X'
 */
export function parseResidentId(input: string, today = new Date()): ResidentIdResult {
  const normalized = input.trim().toUpperCase();
  if (!/^[0-9]{17}[0-9X]$/.test(normalized)) return { valid: false, normalized, problem: 'format' };
  if (!isValidDivisionCode(normalized.slice(0, 6))) {
    return { valid: false, normalized, problem: 'division' };
  }
  const y = Number(normalized.slice(6, 10));
  const m = Number(normalized.slice(10, 12));
  const d = Number(normalized.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  const real =
    date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (!real || y < 1880 || date.getTime() > today.getTime()) {
    return { valid: false, normalized, problem: 'birthDate' };
  }
  if (residentIdCheckDigit(normalized) !== normalized[17]) {
    return { valid: false, normalized, problem: 'checkDigit' };
  }
  const birthDate = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  const sex = Number(normalized[16]) % 2 === 1 ? 'M' : 'F';
  return { valid: true, normalized, birthDate, sex };
}

export function isValidResidentId(input: string): boolean {
  return parseResidentId(input).valid;
}
