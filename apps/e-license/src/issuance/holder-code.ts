import { parseResidentId, parseUscc } from '#common';
import { LicenseError, LicenseErrorCode } from '../license.error.js';

/**
 * 持证主体代码类型 (GB/T 36903, codes after GA/T 517 and GB 32100): which documents identify
 * a natural person (holder category 1) or an organisation (holder category 2).
 */
export const HOLDER_CODE_TYPES: Record<string, { category: 1 | 2; name: string }> = {
  '111': { category: 1, name: '居民身份证 Resident identity card' },
  '414': { category: 1, name: '普通护照 Passport' },
  '516': { category: 1, name: '港澳居民来往内地通行证 Mainland travel permit (HK/Macao)' },
  '511': { category: 1, name: '台湾居民来往大陆通行证 Mainland travel permit (Taiwan)' },
  '553': { category: 1, name: '外国人永久居留身份证 Foreign permanent resident ID' },
  '001': { category: 2, name: '统一社会信用代码 Unified social credit code' },
};

/** Validates and normalises a holder code for its type; throws InvalidHolderCode. */
export function checkHolderCode(codeType: string, code: string, category: 1 | 2): string {
  const known = HOLDER_CODE_TYPES[codeType];
  if (!known) {
    throw new LicenseError(LicenseErrorCode.InvalidHolderCode, 400, 'Unknown holder code type', {
      errors: [
        {
          field: 'holder.codeType',
          message: `one of ${Object.keys(HOLDER_CODE_TYPES).join(', ')}`,
        },
      ],
    });
  }
  if (known.category !== category) {
    throw new LicenseError(
      LicenseErrorCode.HolderCategoryMismatch,
      400,
      `This license type is issued to ${category === 1 ? 'natural persons' : 'organisations'}`,
      { errors: [{ field: 'holder.codeType', message: 'wrong holder category' }] },
    );
  }
  const problem = holderCodeProblem(codeType, code);
  if (problem) {
    throw new LicenseError(
      LicenseErrorCode.InvalidHolderCode,
      400,
      'The holder code is not valid',
      {
        errors: [{ field: 'holder.code', message: problem }],
      },
    );
  }
  return code.trim().toUpperCase();
}

function holderCodeProblem(codeType: string, code: string): string | undefined {
  switch (codeType) {
    case '111': {
      const r = parseResidentId(code);
      return r.valid ? undefined : `GB 11643: ${r.problem}`;
    }
    case '001': {
      const r = parseUscc(code);
      return r.valid ? undefined : `GB 32100: ${r.problem}`;
    }
    case '414':
      return /^[A-Z0-9]{5,17}$/i.test(code.trim())
        ? undefined
        : 'passport number: 5-17 letters or digits';
    case '516':
    case '511':
      return /^[A-Z0-9]{8,11}$/i.test(code.trim())
        ? undefined
        : 'permit number: 8-11 letters or digits';
    case '553':
      return /^[A-Z0-9]{15,18}$/i.test(code.trim()) ? undefined : '15 or 18 letters or digits';
    default:
      return 'unknown type';
  }
}

/** 张三 -> 张*, 张小三 -> 张*三, 欧阳小明 -> 欧**明: minimal disclosure on public pages. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
