import {
  PdfDict,
  PdfDocument,
  PdfError,
  PdfName,
  PdfStream,
  PdfString,
  type PdfObject,
} from '#pdf';
import { pageFonts, type FontUse } from './page-fonts.js';

/** What the usability and security checks need to know about a PDF, read in one pass. */
export interface PdfInspection {
  /** Undefined when the file opened; else why it did not (a PdfError code). */
  openError?: { code: string; message: string };
  version?: string;
  encrypted: boolean;
  pageCount: number;
  repaired: boolean;
  /** Fonts the pages use (see page-fonts.ts). */
  fonts: FontUse[];
  javaScript: string[];
  launchActions: number;
  embeddedFiles: { name: string; executable: boolean }[];
  /** Signature dictionaries (seals, signatures, document timestamps) found in the file. */
  signatureCount: number;
}

const EXECUTABLE_NAME =
  /\.(exe|dll|com|scr|bat|cmd|msi|ps1|vbs|vbe|js|jse|wsf|jar|sh|elf|so|app)$/i;
const MAX_DEPTH = 24;

/**
 * Opens the PDF with the suite's own reader and walks every object once: fonts and their
 * embedding, JavaScript, launch actions and embedded files. Never throws on a bad file.
 */
export function inspectPdf(bytes: Buffer): PdfInspection {
  const out: PdfInspection = {
    encrypted: false,
    pageCount: 0,
    repaired: false,
    fonts: [],
    javaScript: [],
    launchActions: 0,
    embeddedFiles: [],
    signatureCount: 0,
  };
  let doc: PdfDocument;
  try {
    doc = PdfDocument.load(bytes);
    out.encrypted = doc.isEncrypted;
    out.repaired = doc.repaired;
    out.version = headerVersion(bytes, doc);
    out.pageCount = doc.pages().length;
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    out.openError = { code: e.code, message: e.message };
    return out;
  }
  // An encrypted file's strings and streams are ciphertext: nothing more can be read.
  if (out.encrypted) return out;

  const seen = new Set<PdfObject>();
  const visit = (o: PdfObject | undefined, depth: number): void => {
    if (depth > MAX_DEPTH || o === null || o === undefined || seen.has(o)) return;
    if (o instanceof PdfStream) {
      seen.add(o);
      inspectDict(doc, o.dict, out, o);
      for (const v of o.dict.map.values()) visit(v, depth + 1);
    } else if (o instanceof PdfDict) {
      seen.add(o);
      inspectDict(doc, o, out);
      for (const v of o.map.values()) visit(v, depth + 1);
    } else if (Array.isArray(o)) {
      for (const v of o) visit(v, depth + 1);
    }
  };
  for (const num of doc.objectNumbers()) visit(safeGet(doc, num), 0);
  visit(doc.catalog, 0);
  out.fonts = pageFonts(doc);
  return out;
}

function inspectDict(doc: PdfDocument, d: PdfDict, out: PdfInspection, stream?: PdfStream): void {
  // ISO 32000-1 12.6.4.16 JavaScript actions, 12.6.4.5 launch actions.
  const action = d.name('S');
  if (action === 'JavaScript' || d.has('JS')) out.javaScript.push(describeJs(doc, d));
  if (action === 'Launch') out.launchActions++;

  const type = d.name('Type');
  // 12.8.1: a signature dictionary has /ByteRange and /Contents (/Type /Sig or /DocTimeStamp).
  if (d.has('ByteRange') && d.has('Contents')) out.signatureCount++;
  if (type === 'Filespec' && d.has('EF')) {
    const name = text(doc.tryResolve(d.get('UF') ?? d.get('F'))) ?? '(unnamed)';
    out.embeddedFiles.push({ name, executable: EXECUTABLE_NAME.test(name) });
  }
  if (type === 'EmbeddedFile' && stream && looksExecutable(stream.raw)) {
    out.embeddedFiles.push({ name: '(embedded file stream)', executable: true });
  }
}

function describeJs(doc: PdfDocument, d: PdfDict): string {
  const js = doc.tryResolve(d.get('JS'));
  // A script in a stream may be compressed: say where it is rather than show its bytes.
  if (js instanceof PdfStream) return `(script stream, ${js.raw.length} bytes)`;
  return (text(js) ?? '').replace(/[^\x20-\x7e\u4e00-\u9fff]/g, '?').slice(0, 60);
}

function headerVersion(bytes: Buffer, doc: PdfDocument): string | undefined {
  // 7.5.2: the catalog's /Version overrides the header when it is later.
  const at = bytes.indexOf('%PDF-', 0, 'latin1');
  const header = /^%PDF-(\d\.\d)/.exec(bytes.subarray(at, at + 16).toString('latin1'))?.[1];
  const catalogVersion = doc.catalog.get('Version');
  const fromCatalog = catalogVersion instanceof PdfName ? catalogVersion.name : undefined;
  if (header && fromCatalog && Number(fromCatalog) > Number(header)) return fromCatalog;
  return header ?? fromCatalog;
}

function looksExecutable(raw: Buffer): boolean {
  // Windows PE ("MZ") or ELF, as stored; compressed streams are caught by their file name.
  return (
    (raw[0] === 0x4d && raw[1] === 0x5a) || raw.subarray(0, 4).toString('latin1') === '\x7fELF'
  );
}

function text(o: PdfObject | undefined): string | undefined {
  return o instanceof PdfString ? o.text() : undefined;
}

/** A damaged object reads as null: the checks look at what can be read. */
function safeGet(doc: PdfDocument, num: number): PdfObject {
  try {
    return doc.getObject(num);
  } catch (e) {
    if (e instanceof PdfError) return null;
    throw e;
  }
}
