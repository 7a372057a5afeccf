import {
  completeUscc,
  organizationCodeCheck,
  parseUscc,
  USCC_ALPHABET,
  usccCheckCharacter,
} from './uscc.js';

describe('unified social credit code (GB 32100)', () => {
  it.each(['11100000000013338W', '11110000000021135M', '91350100M000100Y43'])(
    'accepts the real code %s',
    (code) => expect(parseUscc(code).valid).toBe(true),
  );

  it('accepts lower-case input and normalises it', () => {
    expect(parseUscc('91350100m000100y43')).toEqual({
      valid: true,
      normalized: '91350100M000100Y43',
    });
  });

  it('gives check character 0 when Σ mod 31 = 0, not an out-of-range symbol', () => {
    // Search the 17th character for a body whose weighted sum is a multiple of 31.
    const prefix = '9135010000000100'; // 16 characters
    const found = [...USCC_ALPHABET].map((c) => prefix + c).find((b) => weightedSum(b) % 31 === 0);
    expect(found).toBeDefined();
    expect(usccCheckCharacter(found!)).toBe('0');
  });

  it('refuses every single-character change of a real code', () => {
    const code = '11100000000013338W';
    for (let i = 0; i < 18; i++) {
      for (const c of USCC_ALPHABET) {
        if (c === code[i]) continue;
        const changed = code.slice(0, i) + c + code.slice(i + 1);
        expect(parseUscc(changed).valid).toBe(false);
      }
    }
  });

  it('checks the embedded organisation code with GB 11714, X for 10', () => {
    expect(organizationCodeCheck('00001333')).toBe('8');
    const bodies = Array.from({ length: 200 }, (_, i) => String(10000000 + i * 7919).slice(0, 8));
    expect(bodies.map(organizationCodeCheck)).toContain('X');
  });

  it('refuses symbols outside the alphabet (I, O, S, V, Z)', () => {
    expect(parseUscc('91350100M000100YI3').problem).toBe('format');
  });
});

function weightedSum(body: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(body[i]!) * (3 ** i % 31);
  return sum;
}

describe('completeUscc', () => {
  it('rebuilds a real code from its first 16 characters', () => {
    expect(completeUscc('91350100m000100y')).toBe('91350100M000100Y43');
    expect(completeUscc('1110000000001333')).toBe('11100000000013338W');
  });
});
