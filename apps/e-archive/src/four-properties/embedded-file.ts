import { constants, inflateSync } from 'node:zlib';
import { PdfDict, PdfName, PdfStream, type PdfDocument, type PdfObject } from '#pdf';

/** What the security check needs to know about one embedded file (ISO 32000-1 7.11.4). */
export interface EmbeddedFileFinding {
  name: string;
  executable: boolean;
  /** Why it counts as executable: its name, its media type, its first bytes, or unreadable. */
  reason?: string;
}

const EXECUTABLE_NAME =
  /\.(exe|dll|com|scr|bat|cmd|msi|ps1|vbs|vbe|js|jse|wsf|jar|sh|elf|so|app|dylib|bin|apk)$/i;
const EXECUTABLE_TYPE =
  /^application\/(x-msdownload|x-msdos-program|x-executable|x-elf|x-sharedlib|x-mach-binary|x-sh|x-dosexec|java-archive|vnd\.microsoft\.portable-executable|wasm)$/i;

// Only the head of the file is decoded: magic numbers sit in the first bytes, and a small
// compressed input bounds the output (deflate expands at most ~1032:1, RFC 1951), so a
// "zip bomb" attachment costs a few megabytes at worst.
const HEAD_INPUT = 4096;
const HEAD_KEEP = 64;
const MAX_OUTPUT = 8 * 1024 * 1024;

// Executable formats by their magic numbers: PE/COFF (MS-DOS stub "MZ"), ELF (System V ABI
// 4.1), Mach-O thin (32/64-bit, both byte orders) and universal/fat, WebAssembly (core spec
// 5.5.16), Android DEX, and scripts with an interpreter line (#!, execve(2)).
const MAGIC: { kind: string; bytes: number[] }[] = [
  { kind: 'PE (MZ)', bytes: [0x4d, 0x5a] },
  { kind: 'ELF', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { kind: 'Mach-O', bytes: [0xfe, 0xed, 0xfa, 0xce] },
  { kind: 'Mach-O', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { kind: 'Mach-O', bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { kind: 'Mach-O', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { kind: 'Mach-O universal or Java class', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { kind: 'WebAssembly', bytes: [0x00, 0x61, 0x73, 0x6d] },
  { kind: 'Android DEX', bytes: [0x64, 0x65, 0x78, 0x0a] },
  { kind: 'script (#!)', bytes: [0x23, 0x21] },
];

/**
 * Judges one embedded file by its name, its /Subtype media type and its decoded first bytes.
 * A stream that cannot be decoded here cannot be shown harmless, so it counts as executable.
 */
export function judgeEmbeddedFile(
  doc: PdfDocument,
  name: string,
  stream: PdfStream | undefined,
): EmbeddedFileFinding {
  if (EXECUTABLE_NAME.test(name)) return { name, executable: true, reason: 'file name' };
  if (!stream) return { name, executable: false };
  const type = stream.dict.name('Subtype');
  if (type && EXECUTABLE_TYPE.test(type)) {
    return { name, executable: true, reason: `media type ${type}` };
  }
  const head = decodedHead(doc, stream);
  if ('error' in head) return { name, executable: true, reason: head.error };
  const kind = MAGIC.find((m) => m.bytes.every((b, i) => head.bytes[i] === b))?.kind;
  return kind
    ? { name, executable: true, reason: `content is ${kind}` }
    : { name, executable: false };
}

/** The first bytes of the stream with its filters applied (7.4: FlateDecode, ASCIIHexDecode). */
function decodedHead(doc: PdfDocument, s: PdfStream): { bytes: Buffer } | { error: string } {
  const filters = list(doc.tryResolve(s.dict.get('Filter')));
  const parms = list(doc.tryResolve(s.dict.get('DecodeParms')));
  let data = s.raw;
  for (const [i, f] of filters.entries()) {
    const filter = f instanceof PdfName ? f.name : '?';
    const p = doc.tryResolve(parms[i]);
    if (p instanceof PdfDict && p.get('Predictor') !== undefined && p.get('Predictor') !== 1) {
      return { error: `predictor on /${filter} not decoded here` };
    }
    if (filter === 'FlateDecode' || filter === 'Fl') {
      try {
        data = inflateSync(data.subarray(0, HEAD_INPUT), {
          finishFlush: constants.Z_SYNC_FLUSH,
          maxOutputLength: MAX_OUTPUT,
        });
      } catch {
        return { error: 'the compressed stream does not inflate' };
      }
    } else if (filter === 'ASCIIHexDecode' || filter === 'AHx') {
      const hex = data
        .subarray(0, HEAD_INPUT)
        .toString('latin1')
        .replace(/[^0-9a-f]/gi, '');
      data = Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex');
    } else {
      return { error: `filter /${filter} not decoded here` };
    }
  }
  return { bytes: data.subarray(0, HEAD_KEEP) };
}

function list(o: PdfObject | undefined): PdfObject[] {
  if (o === undefined || o === null) return [];
  return Array.isArray(o) ? o : [o];
}
