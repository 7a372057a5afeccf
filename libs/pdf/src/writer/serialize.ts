import {
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfObject,
} from '../parser/objects.js';

/** 7.3.3: no exponents; at most 6 decimals, trailing zeros dropped. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '0';
  if (Number.isInteger(n)) return String(n);
  const s = n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** 7.3.5: any byte outside the regular printable range is written as #xx. */
export function formatName(n: string): string {
  let out = '/';
  for (let i = 0; i < n.length; i++) {
    const c = n.charCodeAt(i);
    const regular = c > 0x20 && c < 0x7f && !'()<>[]{}/%#'.includes(n[i]);
    out += regular ? n[i] : '#' + c.toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * Literal strings escape `\`, `(`, `)` and line ends (7.3.4.2), so that no keyword inside a
 * value (`trailer`, `%%EOF`, `xref`) can ever be read as structure.
 */
export function formatString(s: PdfString): string {
  if (s.hex) return '<' + s.bytes.toString('hex') + '>';
  let out = '(';
  for (const c of s.bytes) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c < 0x20 || c > 0x7e) out += '\\' + c.toString(8).padStart(3, '0');
    else out += String.fromCharCode(c);
  }
  return out + ')';
}

/** Serialises a direct object (streams: dictionary and data, /Length set to the data length). */
export function serialize(o: PdfObject): string | Buffer {
  if (o instanceof PdfStream) {
    const dict = o.dict.clone().set('Length', o.raw.length);
    return Buffer.concat([
      Buffer.from(formatObject(dict) + '\nstream\n', 'latin1'),
      o.raw,
      Buffer.from('\nendstream', 'latin1'),
    ]);
  }
  return formatObject(o);
}

export function formatObject(o: PdfObject): string {
  if (o === null) return 'null';
  if (typeof o === 'boolean') return o ? 'true' : 'false';
  if (typeof o === 'number') return formatNumber(o);
  if (o instanceof PdfName) return formatName(o.name);
  if (o instanceof PdfString) return formatString(o);
  if (o instanceof PdfRef) return `${o.num} ${o.gen} R`;
  if (Array.isArray(o)) return '[' + o.map(formatObject).join(' ') + ']';
  if (o instanceof PdfDict) {
    let out = '<<';
    for (const [k, v] of o.map) out += formatName(k) + ' ' + formatObject(v) + ' ';
    return out.trimEnd() + '>>';
  }
  throw new Error('a stream cannot be written as a direct object');
}
