import { parseResidentId, residentIdCheckDigit } from './resident-id.js';

describe('resident identity number (GB 11643)', () => {
  it('accepts the standard example whose check digit is X', () => {
    const r = parseResidentId('11010519491231002X');
    expect(r).toMatchObject({ valid: true, birthDate: '1949-12-31', sex: 'F' });
  });

  it('accepts a lower-case x and normalises it', () => {
    expect(parseResidentId('11010519491231002x')).toMatchObject({
      valid: true,
      normalized: '11010519491231002X',
    });
  });

  it('refuses a wrong check digit, including a digit where X belongs', () => {
    expect(parseResidentId('110105194912310021').problem).toBe('checkDigit');
    expect(parseResidentId('110105194912310020').problem).toBe('checkDigit');
  });

  it('computes every check value from Σ mod 11, including 10 -> X and 0 -> 1', () => {
    // Vary the last body digit: the 17th weight is 2, so ten bodies cover ten residues.
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add(residentIdCheckDigit(`1101051949123100${i}`));
    expect(seen.size).toBe(10);
    expect(residentIdCheckDigit('11010519491231002')).toBe('X');
  });

  it('refuses a birth date that does not exist or is in the future', () => {
    const feb30 = '11010519490230002';
    expect(parseResidentId(feb30 + residentIdCheckDigit(feb30)).problem).toBe('birthDate');
    const future = '11010530000101002';
    expect(parseResidentId(future + residentIdCheckDigit(future)).problem).toBe('birthDate');
  });

  it('refuses an unknown province and a malformed number', () => {
    const body = '99010519491231002';
    expect(parseResidentId(body + residentIdCheckDigit(body)).problem).toBe('division');
    expect(parseResidentId('11010519491231002').problem).toBe('format');
    expect(parseResidentId('1101051949123100AX').problem).toBe('format');
  });
});
