import { maskPersonalIdentifiers } from './redaction.js';

describe('log redaction', () => {
  it('masks resident ID numbers and mobile numbers inside free text', () => {
    const line = maskPersonalIdentifiers('holder 11010519491231002X called from 13812345678');
    expect(line).toBe('holder 110105********002X called from 138****5678');
  });

  it('leaves other numbers alone', () => {
    expect(maskPersonalIdentifiers('order 2025 took 12 ms')).toBe('order 2025 took 12 ms');
  });
});
