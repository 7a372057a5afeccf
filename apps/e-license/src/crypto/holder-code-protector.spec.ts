import { HolderCodeProtector, newVerificationCode } from './holder-code-protector.js';

describe('the holder code protector', () => {
  const p = new HolderCodeProtector(Buffer.alloc(32, 7));

  it('encrypts a code so that only the same key and code type decrypt it', () => {
    const sealed = p.encrypt('111', '11010519491231002X');
    expect(sealed.toString('latin1')).not.toContain('11010519491231002X');
    expect(p.decrypt('111', sealed)).toBe('11010519491231002X');
    expect(() => p.decrypt('001', sealed)).toThrow();
    expect(() => new HolderCodeProtector(Buffer.alloc(32, 8)).decrypt('111', sealed)).toThrow();
  });

  it('gives one lookup hash per code type and code, whatever the case', () => {
    expect(p.lookupHash('111', '11010519491231002x')).toBe(
      p.lookupHash('111', '11010519491231002X'),
    );
    expect(p.lookupHash('111', 'A')).not.toBe(p.lookupHash('001', 'A'));
  });

  it('makes verification codes of eight unambiguous characters', () => {
    const code = newVerificationCode();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
  });
});
