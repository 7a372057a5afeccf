import { damaged } from '../errors.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

// PDF 32000-1 7.2.2: white-space and delimiter characters.
const WHITESPACE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITESPACE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIMITER[c.charCodeAt(0)] = 1;

/** Nesting deeper than this is treated as hostile input, not as a document. */
const MAX_DEPTH = 64;

export const isWhitespace = (c: number): boolean => WHITESPACE[c] === 1;
const isRegular = (c: number): boolean => WHITESPACE[c] !== 1 && DELIMITER[c] !== 1;

/** Resolves an indirect /Length while a stream is being read. */
export type LengthResolver = (ref: PdfRef) => number | undefined;

/** A PDF object reader over one buffer; `pos` moves forward as tokens are consumed. */
export class Lexer {
  pos: number;

  constructor(
    readonly buf: Buffer,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }

  skipSpace(): void {
    const { buf, end } = this;
    while (this.pos < end) {
      const c = buf[this.pos];
      if (WHITESPACE[c] === 1) this.pos++;
      else if (c === 0x25 /* % */) {
        while (this.pos < end && buf[this.pos] !== 10 && buf[this.pos] !== 13) this.pos++;
      } else break;
    }
  }

  /** Reads a regular-character token (keyword or number) without consuming delimiters. */
  regularToken(): string {
    this.skipSpace();
    const start = this.pos;
    while (this.pos < this.end && isRegular(this.buf[this.pos])) this.pos++;
    return this.buf.toString('latin1', start, this.pos);
  }

  peekKeyword(word: string): boolean {
    this.skipSpace();
    const after = this.pos + word.length;
    if (after > this.end || this.buf.toString('latin1', this.pos, after) !== word) return false;
    return after === this.end || !isRegular(this.buf[after]);
  }

  expectKeyword(word: string): void {
    if (!this.peekKeyword(word)) throw damaged(`expected '${word}' at offset ${this.pos}`);
    this.pos += word.length;
  }

  /** Reads an unsigned integer if one is next, else leaves `pos` unchanged. */
  tryInt(): number | undefined {
    this.skipSpace();
    const start = this.pos;
    let v = 0;
    while (this.pos < this.end && this.buf[this.pos] >= 0x30 && this.buf[this.pos] <= 0x39) {
      v = v * 10 + this.buf[this.pos] - 0x30;
      this.pos++;
    }
    if (this.pos === start || (this.pos < this.end && isRegular(this.buf[this.pos]))) {
      this.pos = start;
      return undefined;
    }
    return v;
  }

  parseObject(depth = 0): PdfObject {
    if (depth > MAX_DEPTH) throw damaged(`objects nested too deeply at offset ${this.pos}`);
    this.skipSpace();
    if (this.pos >= this.end) throw damaged('unexpected end of data');
    const c = this.buf[this.pos];
    switch (c) {
      case 0x2f /* / */:
        return this.parseName();
      case 0x28 /* ( */:
        return this.parseLiteralString();
      case 0x3c /* < */:
        if (this.buf[this.pos + 1] === 0x3c) return this.parseDict(depth);
        return this.parseHexString();
      case 0x5b /* [ */:
        return this.parseArray(depth);
      default:
        return this.parseNumberOrKeyword();
    }
  }

  private parseNumberOrKeyword(): PdfObject {
    const start = this.pos;
    const tok = this.regularToken();
    if (tok === '') throw damaged(`unexpected character at offset ${start}`);
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok === 'null') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(tok)) {
      // Some writers emit '--5' or '1.-2'; anything else is a stray keyword.
      const n = Number.parseFloat(tok.replace(/^--/, '-'));
      if (Number.isFinite(n)) return n;
      throw damaged(`unexpected token '${tok.slice(0, 20)}' at offset ${start}`);
    }
    const n = Number(tok);
    if (/^\d+$/.test(tok)) {
      // 7.3.10: "num gen R" is an indirect reference.
      const save = this.pos;
      const gen = this.tryInt();
      if (gen !== undefined && this.peekKeyword('R')) {
        this.pos += 1;
        return new PdfRef(n, gen);
      }
      this.pos = save;
    }
    return n;
  }

  private parseName(): PdfName {
    this.pos++;
    const start = this.pos;
    while (this.pos < this.end && isRegular(this.buf[this.pos])) this.pos++;
    const raw = this.buf.toString('latin1', start, this.pos);
    // 7.3.5: #xx escapes; names are byte sequences, UTF-8 by convention.
    if (!raw.includes('#')) return PdfName.of(raw);
    const bytes = Buffer.from(
      raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
    return PdfName.of(bytes.toString('latin1'));
  }

  private parseLiteralString(): PdfString {
    const start = this.pos;
    const { buf, end } = this;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < end) {
      const c = buf[this.pos++];
      if (c === 0x5c /* \ */) {
        if (this.pos >= end) break;
        const e = buf[this.pos++];
        const simple: Record<number, number> = {
          0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c,
        }; // prettier-ignore
        if (e in simple) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let i = 0; i < 2 && buf[this.pos] >= 0x30 && buf[this.pos] <= 0x37; i++) {
            v = v * 8 + buf[this.pos++] - 0x30;
          }
          out.push(v & 0xff);
        } else if (e === 13) {
          if (buf[this.pos] === 10) this.pos++;
        } else if (e !== 10) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) return new PdfString(Buffer.from(out), false, [start, this.pos]);
        out.push(c);
      } else if (c === 13) {
        // 7.3.4.2: an unescaped end-of-line is read as a single line feed.
        if (buf[this.pos] === 10) this.pos++;
        out.push(10);
      } else out.push(c);
    }
    throw damaged(`unterminated string at offset ${start}`);
  }

  private parseHexString(): PdfString {
    const start = this.pos;
    const close = this.buf.indexOf(0x3e, this.pos);
    if (close < 0 || close >= this.end) throw damaged(`unterminated hex string at offset ${start}`);
    const hex = this.buf.toString('latin1', this.pos + 1, close).replace(/[\s\0]/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw damaged(`bad hex string at offset ${start}`);
    this.pos = close + 1;
    const even = hex.length % 2 === 0 ? hex : hex + '0';
    return new PdfString(Buffer.from(even, 'hex'), true, [start, this.pos]);
  }

  private parseArray(depth: number): PdfObject[] {
    this.pos++;
    const items: PdfObject[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.end) throw damaged('unterminated array');
      if (this.buf[this.pos] === 0x5d /* ] */) {
        this.pos++;
        return items;
      }
      items.push(this.parseObject(depth + 1));
    }
  }

  private parseDict(depth: number): PdfDict {
    this.pos += 2;
    const dict = new PdfDict();
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.end) throw damaged('unterminated dictionary');
      if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return dict;
      }
      const key = this.parseObject(depth + 1);
      if (!(key instanceof PdfName)) throw damaged(`dictionary key is not a name at ${this.pos}`);
      this.skipSpace();
      if (this.buf[this.pos] === 0x3e && this.buf[this.pos + 1] === 0x3e) {
        dict.set(key.name, null); // a key without value: tolerated, read as null
        continue;
      }
      dict.set(key.name, this.parseObject(depth + 1));
    }
  }

  /**
   * Reads `num gen obj ... endobj` at `pos`. Streams take their /Length (resolved through
   * `resolveLength` when indirect); a wrong length falls back to the `endstream` keyword.
   */
  parseIndirectObject(resolveLength?: LengthResolver): {
    num: number;
    gen: number;
    obj: PdfObject;
  } {
    const num = this.tryInt();
    const gen = num === undefined ? undefined : this.tryInt();
    if (num === undefined || gen === undefined || !this.peekKeyword('obj')) {
      throw damaged(`no object header at offset ${this.pos}`);
    }
    this.pos += 3;
    const obj = this.parseObject();
    if (obj instanceof PdfDict && this.peekKeyword('stream')) {
      return { num, gen, obj: this.parseStreamBody(obj, resolveLength) };
    }
    return { num, gen, obj };
  }

  private parseStreamBody(dict: PdfDict, resolveLength?: LengthResolver): PdfStream {
    const { buf } = this;
    this.pos += 6;
    // 7.3.8.1: 'stream' is followed by CRLF or LF (a lone CR is tolerated).
    if (buf[this.pos] === 13) this.pos++;
    if (buf[this.pos] === 10) this.pos++;
    const dataStart = this.pos;
    const lengthObj = dict.get('Length');
    let length =
      typeof lengthObj === 'number'
        ? lengthObj
        : lengthObj instanceof PdfRef
          ? resolveLength?.(lengthObj)
          : undefined;
    if (length !== undefined && (length < 0 || !this.endstreamAt(dataStart + length))) {
      length = undefined;
    }
    if (length === undefined) {
      const at = buf.indexOf('endstream', dataStart, 'latin1');
      if (at < 0 || at > this.end) throw damaged(`stream without endstream at ${dataStart}`);
      let e = at;
      if (buf[e - 1] === 10) e--;
      if (buf[e - 1] === 13) e--;
      length = Math.max(0, e - dataStart);
    }
    const raw = buf.subarray(dataStart, dataStart + length);
    this.pos = dataStart + length;
    this.skipSpace();
    if (this.peekKeyword('endstream')) this.pos += 9;
    return new PdfStream(dict, raw);
  }

  private endstreamAt(p: number): boolean {
    if (p > this.end) return false;
    const probe = new Lexer(this.buf, p, this.end);
    return probe.peekKeyword('endstream');
  }
}
