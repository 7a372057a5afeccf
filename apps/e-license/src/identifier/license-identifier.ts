import { parseUscc } from '#common';

/**
 * GB/T 36904-2018 电子证照标识: the object identifier arc of the national e-license system
 * followed by the type code, the issuing authority's USCC, the serial, the version and a
 * check character.
 */
export const IDENTIFIER_ARC = '1.2.156.3005.2';

/** Digits 0-9 and letters A-Z, each worth its index (ISO/IEC 7064 alphanumeric set). */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The ISO/IEC 7064 MOD 37,36 hybrid check character over `data` (upper-case 0-9 A-Z).
 * p starts at 36; per character p = (p + v) mod 36 (0 becomes 36), then p = 2p mod 37; the
 * check character makes (p + check) mod 36 = 1, i.e. check = (37 - p) mod 36.
 */
export function mod3736Check(data: string): string {
  let p = 36;
  for (const c of data) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new RangeError(`character ${JSON.stringify(c)} is outside 0-9 A-Z`);
    p = (p + v) % 36;
    if (p === 0) p = 36;
    p = (2 * p) % 37;
  }
  return ALPHABET[(37 - p) % 36]!;
}

export interface LicenseIdentifierParts {
  /** GB/T 36902 license type code: defining authority USCC + 3-digit sequence. */
  typeCode: string;
  issuerUscc: string;
  serial: string;
  /** 1..999, rendered as three digits. */
  version: number;
}

export type IdentifierProblem =
  'format' | 'arc' | 'typeCode' | 'issuer' | 'serial' | 'version' | 'checkCharacter';

export interface ParsedIdentifier {
  valid: boolean;
  problem?: IdentifierProblem;
  parts?: LicenseIdentifierParts;
}

const TYPE_CODE = /^[0-9A-Z]{18}[0-9]{3}$/;
const SERIAL = /^[0-9A-Z]{1,32}$/;

/** Renders the identifier, with its check character, from its parts. */
export function formatLicenseIdentifier(parts: LicenseIdentifierParts): string {
  if (!Number.isInteger(parts.version) || parts.version < 1 || parts.version > 999) {
    throw new RangeError('version must be 1..999');
  }
  const version = String(parts.version).padStart(3, '0');
  const check = mod3736Check(`${parts.typeCode}${parts.issuerUscc}${parts.serial}${version}`);
  return `${IDENTIFIER_ARC}.${parts.typeCode}.${parts.issuerUscc}.${parts.serial}.${version}.${check}`;
}

/**
 * Validates a GB/T 36904 identifier: the arc, each segment's form, the issuer's USCC
 * (GB 32100) and the MOD 37,36 check character over segments 2 to 5 concatenated.
 *
 * @example
 *   parseLicenseIdentifier(
 *     '1.2.156.3005.2.11100000000013338W011.11110000000021135M.20230329701.003.Y',
 *   ).valid // true
 */
export function parseLicenseIdentifier(input: string): ParsedIdentifier {
  const text = input.trim().toUpperCase();
  if (!text.startsWith(`${IDENTIFIER_ARC}.`)) {
    return { valid: false, problem: /^[0-9.]+/.test(text) ? 'arc' : 'format' };
  }
  const segments = text.slice(IDENTIFIER_ARC.length + 1).split('.');
  if (segments.length !== 5) return { valid: false, problem: 'format' };
  const [typeCode, issuerUscc, serial, version, check] = segments as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!TYPE_CODE.test(typeCode)) return { valid: false, problem: 'typeCode' };
  if (!parseUscc(issuerUscc).valid) return { valid: false, problem: 'issuer' };
  if (!SERIAL.test(serial)) return { valid: false, problem: 'serial' };
  if (!/^[0-9]{3}$/.test(version) || version === '000') return { valid: false, problem: 'version' };
  if (
    !/^[0-9A-Z]$/.test(check) ||
    mod3736Check(typeCode + issuerUscc + serial + version) !== check
  ) {
    return { valid: false, problem: 'checkCharacter' };
  }
  return { valid: true, parts: { typeCode, issuerUscc, serial, version: Number(version) } };
}
