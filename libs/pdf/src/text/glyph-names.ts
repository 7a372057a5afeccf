// Adobe Glyph List names of the Latin glyphs that custom encodings (/Differences, 9.6.6.1)
// use in practice, and the `uniXXXX` / `uXXXX` forms (AGL specification section 2).

const NAMES: Record<string, string> = {
  space: ' ', exclam: '!', quotedbl: '"', numbersign: '#', dollar: '$', percent: '%',
  ampersand: '&', quotesingle: "'", quoteright: '\u2019', quoteleft: '\u2018',
  parenleft: '(', parenright: ')', asterisk: '*', plus: '+', comma: ',', hyphen: '-',
  minus: '\u2212', period: '.', slash: '/', zero: '0', one: '1', two: '2', three: '3',
  four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', colon: ':',
  semicolon: ';', less: '<', equal: '=', greater: '>', question: '?', at: '@',
  bracketleft: '[', backslash: '\\', bracketright: ']', asciicircum: '^', underscore: '_',
  grave: '`', braceleft: '{', bar: '|', braceright: '}', asciitilde: '~',
  quotedblleft: '\u201c', quotedblright: '\u201d', quotesinglbase: '\u201a',
  quotedblbase: '\u201e', endash: '\u2013', emdash: '\u2014', bullet: '\u2022',
  ellipsis: '\u2026', dagger: '\u2020', daggerdbl: '\u2021', section: '\u00a7',
  paragraph: '\u00b6', copyright: '\u00a9', registered: '\u00ae', trademark: '\u2122',
  degree: '\u00b0', multiply: '\u00d7', divide: '\u00f7', periodcentered: '\u00b7',
  ff: 'ff', fi: 'fi', fl: 'fl', ffi: 'ffi', ffl: 'ffl', dotlessi: '\u0131',
  germandbls: '\u00df', ae: '\u00e6', AE: '\u00c6', oe: '\u0153', OE: '\u0152',
  oslash: '\u00f8', Oslash: '\u00d8', eacute: '\u00e9', egrave: '\u00e8',
  ecircumflex: '\u00ea', edieresis: '\u00eb', aacute: '\u00e1', agrave: '\u00e0',
  acircumflex: '\u00e2', adieresis: '\u00e4', aring: '\u00e5', atilde: '\u00e3',
  ccedilla: '\u00e7', iacute: '\u00ed', igrave: '\u00ec', icircumflex: '\u00ee',
  idieresis: '\u00ef', ntilde: '\u00f1', oacute: '\u00f3', ograve: '\u00f2',
  ocircumflex: '\u00f4', odieresis: '\u00f6', otilde: '\u00f5', uacute: '\u00fa',
  ugrave: '\u00f9', ucircumflex: '\u00fb', udieresis: '\u00fc', yacute: '\u00fd',
  ydieresis: '\u00ff', Eacute: '\u00c9', Aacute: '\u00c1', Odieresis: '\u00d6',
  Udieresis: '\u00dc', Adieresis: '\u00c4', nbspace: '\u00a0', sterling: '\u00a3',
  yen: '\u00a5', Euro: '\u20ac', cent: '\u00a2', exclamdown: '\u00a1',
  questiondown: '\u00bf', guillemotleft: '\u00ab', guillemotright: '\u00bb',
}; // prettier-ignore

/** Unicode text of a glyph name, '' when unknown (such a glyph cannot be searched for). */
export function glyphNameToText(name: string): string {
  const base = name.split('.')[0] ?? name;
  const known = NAMES[base];
  if (known !== undefined) return known;
  if (/^[A-Za-z]$/.test(base)) return base;
  const uni = /^uni([0-9A-Fa-f]{4})+$/.exec(base);
  if (uni) {
    const codes = base.slice(3).match(/.{4}/g) ?? [];
    return String.fromCodePoint(...codes.map((h) => Number.parseInt(h, 16)));
  }
  const u = /^u([0-9A-Fa-f]{4,6})$/.exec(base);
  if (u?.[1]) {
    const cp = Number.parseInt(u[1], 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  }
  return '';
}

/** WinAnsiEncoding (D.2) where it differs from Latin-1. */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '\u20ac', 0x82: '\u201a', 0x83: '\u0192', 0x84: '\u201e', 0x85: '\u2026',
  0x86: '\u2020', 0x87: '\u2021', 0x88: '\u02c6', 0x89: '\u2030', 0x8a: '\u0160',
  0x8b: '\u2039', 0x8c: '\u0152', 0x8e: '\u017d', 0x91: '\u2018', 0x92: '\u2019',
  0x93: '\u201c', 0x94: '\u201d', 0x95: '\u2022', 0x96: '\u2013', 0x97: '\u2014',
  0x98: '\u02dc', 0x99: '\u2122', 0x9a: '\u0161', 0x9b: '\u203a', 0x9c: '\u0153',
  0x9e: '\u017e', 0x9f: '\u0178',
}; // prettier-ignore

/** The base encoding's text of a code: WinAnsi, and Latin-1 for the others (close enough). */
export function baseEncodingText(code: number, encoding: string | undefined): string {
  if (encoding === 'StandardEncoding') {
    if (code === 0x27) return '\u2019';
    if (code === 0x60) return '\u2018';
  }
  if (code < 0x20) return '';
  if (code >= 0x80 && code < 0xa0) return WIN_ANSI_HIGH[code] ?? '';
  return String.fromCharCode(code);
}
