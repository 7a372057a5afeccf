import { PdfErrorCode } from '../errors.js';
import { formatObject } from '../writer/serialize.js';
import { Lexer } from './lexer.js';
import { PdfDict, PdfName, PdfRef, PdfString } from './objects.js';

const parse = (s: string) => new Lexer(Buffer.from(s, 'latin1')).parseObject();

describe('Lexer', () => {
  test('reads literal strings with escapes, octal codes, balanced parentheses and line continuations', () => {
    const s = parse('(a\\(b\\)c (nested) \\\\ \\101\\7 \\n x\\\ny)') as PdfString;
    expect(s.bytes.toString('latin1')).toBe('a(b)c (nested) \\ A\x07 \n xy');
  });

  test('reads hex strings with white space and an odd final digit', () => {
    const s = parse('<48 65 6C6c 6>') as PdfString;
    expect(s.bytes.toString('latin1')).toBe('Hell`');
    expect(s.hex).toBe(true);
  });

  test('decodes #xx in names', () => {
    expect((parse('/A#20B#23') as PdfName).name).toBe('A B#');
  });

  test('tells references from pairs of numbers', () => {
    expect(parse('[1 0 R 2 3 -4.5 .5]')).toEqual([new PdfRef(1, 0), 2, 3, -4.5, 0.5]);
  });

  test('reads nested dictionaries and keeps the span of strings for byte-range checks', () => {
    const d = parse('<</A <</B [true false null]>> /C <00ff>>>') as PdfDict;
    expect(formatObject(d)).toBe('<</A <</B [true false null]>> /C <00ff>>>');
    expect((d.get('C') as PdfString).span).toEqual([33, 39]);
  });

  test('refuses hostile nesting instead of overflowing the stack', () => {
    expect(() => parse('['.repeat(100_000))).toThrow(
      expect.objectContaining({ code: PdfErrorCode.Damaged }),
    );
  });

  test('writes back strings with PDF keywords and brackets so that they read the same', () => {
    const text = 'trailer xref %%EOF ) ( \\ startxref\r\n';
    const written = formatObject(PdfString.fromText(text));
    expect((parse(written) as PdfString).text()).toBe(text.replace('\r\n', '\r\n'));
    expect((parse(formatObject(PdfString.fromText('电子印章'))) as PdfString).text()).toBe(
      '电子印章',
    );
  });
});
