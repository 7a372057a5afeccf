import { PdfError } from '../errors.js';
import { Lexer } from '../parser/lexer.js';
import type { PdfObject } from '../parser/objects.js';

// PDF 32000-1 7.8.2: a content stream is operands followed by an operator, postfix.

export interface ContentOperation {
  readonly operator: string;
  readonly operands: PdfObject[];
}

/** Operands kept per operator at most; more is malformed content, not a page. */
const MAX_OPERANDS = 64;

/**
 * Reads a content stream's operations. Inline images (8.9.7, BI ... ID data EI) are skipped;
 * unreadable content ends the stream quietly (a viewer shows what came before it too).
 */
export function* contentOperations(
  data: Buffer,
  budget: { ops: number },
): Generator<ContentOperation> {
  const lx = new Lexer(data);
  let operands: PdfObject[] = [];
  while (budget.ops-- > 0) {
    lx.skipSpace();
    if (lx.pos >= data.length) return;
    const c = data[lx.pos];
    try {
      if (startsOperand(c)) {
        if (operands.length >= MAX_OPERANDS) operands = [];
        operands.push(lx.parseObject());
        continue;
      }
    } catch (e) {
      if (e instanceof PdfError) return;
      throw e;
    }
    const word = lx.regularToken();
    if (word === '') {
      lx.pos++; // a stray delimiter such as ']' or '}'
      continue;
    }
    if (word === 'true' || word === 'false' || word === 'null') {
      operands.push(word === 'null' ? null : word === 'true');
      continue;
    }
    if (word === 'BI') {
      lx.pos = skipInlineImage(data, lx.pos);
      operands = [];
      continue;
    }
    yield { operator: word, operands };
    operands = [];
  }
}

function startsOperand(c: number): boolean {
  // '/' name, '(' string, '<' hex string or dictionary, '[' array, digits and signs numbers.
  return (
    c === 0x2f ||
    c === 0x28 ||
    c === 0x3c ||
    c === 0x5b ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2b ||
    c === 0x2d ||
    c === 0x2e
  );
}

/** Past the `EI` that ends an inline image: the first one with white space on both sides. */
function skipInlineImage(data: Buffer, from: number): number {
  const id = data.indexOf('ID', from, 'latin1');
  if (id < 0) return data.length;
  for (
    let at = data.indexOf('EI', id + 3, 'latin1');
    at >= 0;
    at = data.indexOf('EI', at + 2, 'latin1')
  ) {
    const before = data[at - 1];
    const after = data[at + 2];
    if (isSpace(before) && (after === undefined || isSpace(after))) return at + 2;
  }
  return data.length;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}
