// PDF 32000-1 7.3: the eight basic object types, plus indirect references.

export class PdfName {
  private static readonly interned = new Map<string, PdfName>();

  private constructor(readonly name: string) {}

  /** Names are interned so that `===` compares them. `name` is the decoded form (no `#xx`). */
  static of(name: string): PdfName {
    let n = PdfName.interned.get(name);
    if (!n) {
      n = new PdfName(name);
      if (PdfName.interned.size < 10_000) PdfName.interned.set(name, n);
    }
    return n;
  }
}

export class PdfString {
  /** `span` is [start, end) of the token in the file (brackets included), when read from it. */
  constructor(
    readonly bytes: Buffer,
    readonly hex = false,
    readonly span?: readonly [number, number],
  ) {}

  /** PDF text string (7.9.2.2): UTF-16BE with BOM, else PDFDocEncoding (Latin-1 here). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      const swapped = Buffer.from(b.subarray(2));
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      return b.subarray(3).toString('utf8');
    }
    return b.toString('latin1');
  }

  /** Encodes a JS string as a PDF text string: Latin-1 when it fits, UTF-16BE otherwise. */
  static fromText(s: string): PdfString {
    if (/^[\x20-\x7e\t\r\n]*$/.test(s)) return new PdfString(Buffer.from(s, 'latin1'));
    const body = Buffer.from(s, 'utf16le');
    body.swap16();
    return new PdfString(Buffer.concat([Buffer.from([0xfe, 0xff]), body]));
  }
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}

  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfDict {
  readonly map: Map<string, PdfObject>;

  constructor(entries?: Iterable<[string, PdfObject]>) {
    this.map = new Map(entries);
  }

  get(key: string): PdfObject | undefined {
    return this.map.get(key);
  }

  set(key: string, value: PdfObject): this {
    this.map.set(key, value);
    return this;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  clone(): PdfDict {
    return new PdfDict(this.map);
  }

  /** The value of a name entry, e.g. `dict.name('Type') === 'Page'`. */
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
}

export class PdfStream {
  /** `raw` holds the encoded bytes exactly as stored (filters not applied). */
  constructor(
    readonly dict: PdfDict,
    readonly raw: Buffer,
  ) {}
}

export type PdfArray = PdfObject[];

export type PdfObject =
  null | boolean | number | PdfName | PdfString | PdfRef | PdfArray | PdfDict | PdfStream;

export const name = (n: string): PdfName => PdfName.of(n);

export function isDict(o: PdfObject | undefined): o is PdfDict {
  return o instanceof PdfDict;
}

export function asNumber(o: PdfObject | undefined): number | undefined {
  return typeof o === 'number' ? o : undefined;
}
