import {
  formatArchivalCode,
  isWellFormedArchivalCode,
  parseArchivalCode,
  retentionExpiry,
} from './archival-code.js';

describe('archival code (DA/T 13)', () => {
  it('writes fonds-category·year·retention·organisation-item with a four-digit item', () => {
    const code = formatArchivalCode({
      fondsCode: 'Z109',
      category: 'WS',
      year: 2025,
      retention: 'Y',
      organisation: 'BGS',
      item: 1,
    });
    expect(code).toBe('Z109-WS·2025·Y·BGS-0001');
  });

  it('reads back what it writes, and refuses item 0, a wrong retention or a hyphen for a dot', () => {
    expect(parseArchivalCode('Z109-WS·2025·D30·BGS-0042')).toMatchObject({ item: 42 });
    expect(isWellFormedArchivalCode('Z109-WS·2025·Y·BGS-0000')).toBe(false);
    expect(isWellFormedArchivalCode('Z109-WS·2025·D20·BGS-0001')).toBe(false);
    expect(isWellFormedArchivalCode('Z109-WS-2025-Y-BGS-0001')).toBe(false);
    expect(isWellFormedArchivalCode('Z109-WS·2025·Y·BGS-001')).toBe(false);
  });

  it('counts retention from 1 January of the following year; permanent never expires', () => {
    expect(retentionExpiry(2000, 'D10')?.toISOString()).toBe('2011-01-01T00:00:00.000Z');
    expect(retentionExpiry(2000, 'D30')?.toISOString()).toBe('2031-01-01T00:00:00.000Z');
    expect(retentionExpiry(2000, 'Y')).toBeUndefined();
  });
});
