import {
  formatLicenseIdentifier,
  mod3736Check,
  parseLicenseIdentifier,
} from './license-identifier.js';

const REAL = '1.2.156.3005.2.11100000000013338W011.11110000000021135M.20230329701.003.Y';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('the GB/T 36904 license identifier', () => {
  it('accepts a real identifier issued under the national system', () => {
    const parsed = parseLicenseIdentifier(REAL);
    expect(parsed).toEqual({
      valid: true,
      parts: {
        typeCode: '11100000000013338W011',
        issuerUscc: '11110000000021135M',
        serial: '20230329701',
        version: 3,
      },
    });
  });

  it('computes the check character Y of the real identifier by MOD 37,36', () => {
    expect(mod3736Check('11100000000013338W01111110000000021135M20230329701003')).toBe('Y');
  });

  it('formats the real identifier back from its parts', () => {
    const parts = parseLicenseIdentifier(REAL).parts!;
    expect(formatLicenseIdentifier(parts)).toBe(REAL);
  });

  it('refuses every other check character', () => {
    const body = REAL.slice(0, -1);
    for (const c of ALPHABET.replace('Y', '')) {
      expect(parseLicenseIdentifier(body + c).valid).toBe(false);
    }
  });

  it('detects every single-character change in the checked segments', () => {
    // ISO/IEC 7064 hybrid systems detect all single substitutions.
    const start = '1.2.156.3005.2.'.length;
    const end = REAL.length - 2;
    let tried = 0;
    for (let i = start; i < end; i++) {
      if (REAL[i] === '.') continue;
      for (const c of ALPHABET) {
        if (c === REAL[i]) continue;
        const changed = REAL.slice(0, i) + c + REAL.slice(i + 1);
        const parsed = parseLicenseIdentifier(changed);
        expect(parsed.valid).toBe(false);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });

  it('detects swaps of adjacent different characters in the checked segments', () => {
    const body = '11100000000013338W01111110000000021135M20230329701003';
    const check = mod3736Check(body);
    for (let i = 0; i < body.length - 1; i++) {
      if (body[i] === body[i + 1]) continue;
      const swapped = body.slice(0, i) + body[i + 1]! + body[i]! + body.slice(i + 2);
      expect(mod3736Check(swapped)).not.toBe(check);
    }
  });

  it('names the problem: arc, segment count, issuer and version', () => {
    expect(parseLicenseIdentifier(REAL.replace('3005', '3006')).problem).toBe('arc');
    expect(parseLicenseIdentifier(REAL.replace('.003.', '.')).problem).toBe('format');
    expect(parseLicenseIdentifier(REAL.replace('21135M', '21135N')).problem).toBe('issuer');
    expect(parseLicenseIdentifier(REAL.replace('.003.', '.03.')).problem).toBe('version');
  });

  it('accepts lower-case input as the same identifier', () => {
    expect(parseLicenseIdentifier(REAL.toLowerCase()).valid).toBe(true);
  });
});
