import {
  PdfDict,
  PdfDocument,
  PdfError,
  PdfName,
  PdfStream,
  PdfString,
  type PdfObject,
} from '#pdf';
import { judgeEmbeddedFile, type EmbeddedFileFinding } from './embedded-file.js';
import { pageFonts, type FontUse } from './page-fonts.js';

/** One signature dictionary (ISO 32000-1 12.8.1: it has /ByteRange and /Contents). */
export interface SignatureDictionary {
  /** The indirect object it is in (itself, or the field or annotation holding it). */
  objectNumber?: number;
  /** /T of the signature field whose /V it is; undefined when no field holds it. */
  field?: string;
  /** Only under the catalog's /Perms /UR or /UR3 (12.8.2.3): reader rights, not a seal. */
  usageRights: boolean;
}

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
  /** Scripts that run on their own: open action, document and page actions, named scripts. */
  javaScript: string[];
  /**
   * Scripts of form fields (format, keystroke, validate, calculate: ISO 32000-1 12.6.3),
   * which run only when someone edits a field. Recorded, not refused: they are part of the
   * sealed document, and removing them would break its seals.
   */
  formScripts: string[];
  launchActions: number;
  embeddedFiles: EmbeddedFileFinding[];
  /** Every signature dictionary in the file, wherever it sits. */
  signatureDictionaries: SignatureDictionary[];
  /** Signature dictionaries other than usage rights: those e-seal must verify. */
  signatureCount: number;
}

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
    formScripts: [],
    launchActions: 0,
    embeddedFiles: [],
    signatureDictionaries: [],
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

  const walk: Walk = {
    documentLevel: documentLevelActions(doc),
    signatures: [],
    fieldValues: new Map(),
    filespecs: [],
    fileStreams: [],
  };
  const seen = new Set<PdfObject>();
  const visit = (o: PdfObject | undefined, depth: number, num?: number): void => {
    if (depth > MAX_DEPTH || o === null || o === undefined || seen.has(o)) return;
    if (o instanceof PdfStream) {
      seen.add(o);
      inspectDict(doc, o.dict, out, walk, num, o);
      for (const v of o.dict.map.values()) visit(v, depth + 1, num);
    } else if (o instanceof PdfDict) {
      seen.add(o);
      inspectDict(doc, o, out, walk, num);
      for (const v of o.map.values()) visit(v, depth + 1, num);
    } else if (Array.isArray(o)) {
      for (const v of o) visit(v, depth + 1, num);
    }
  };
  for (const num of doc.objectNumbers()) visit(safeGet(doc, num), 0, num);
  visit(doc.catalog, 0);
  out.signatureDictionaries = classifySignatures(doc, walk);
  out.signatureCount = out.signatureDictionaries.filter((s) => !s.usageRights).length;
  out.embeddedFiles = judgeEmbeddedFiles(doc, walk);
  out.fonts = pageFonts(doc);
  return out;
}

/** What the object walk gathers before it is judged as a whole. */
interface Walk {
  documentLevel: Set<PdfObject>;
  signatures: { dict: PdfDict; objectNumber?: number }[];
  /** Signature dictionaries that are the /V of a signature field, with the field's /T. */
  fieldValues: Map<PdfObject, string>;
  filespecs: PdfDict[];
  fileStreams: PdfStream[];
}

function classifySignatures(doc: PdfDocument, walk: Walk): SignatureDictionary[] {
  const perms = safeResolve(doc, doc.catalog.get('Perms'));
  const rights = new Set<PdfObject>();
  if (perms instanceof PdfDict) {
    for (const key of ['UR', 'UR3']) rights.add(safeResolve(doc, perms.get(key)));
  }
  return walk.signatures.map(({ dict, objectNumber }) => ({
    objectNumber,
    field: walk.fieldValues.get(dict),
    usageRights: rights.has(dict) && !walk.fieldValues.has(dict),
  }));
}

/**
 * Each file specification's embedded streams (7.11.3 /EF), judged under the file's name; then
 * any /EmbeddedFile stream no file specification names, judged on its content alone.
 */
function judgeEmbeddedFiles(doc: PdfDocument, walk: Walk): EmbeddedFileFinding[] {
  const out: EmbeddedFileFinding[] = [];
  const judged = new Set<PdfObject>();
  for (const spec of walk.filespecs) {
    const name = text(doc.tryResolve(spec.get('UF') ?? spec.get('F'))) ?? '(unnamed)';
    const ef = safeResolve(doc, spec.get('EF'));
    const streams =
      ef instanceof PdfDict ? [...ef.map.values()].map((v) => safeResolve(doc, v)) : [];
    const files = streams.filter((s): s is PdfStream => s instanceof PdfStream);
    files.forEach((s) => judged.add(s));
    const findings = files.map((s) => judgeEmbeddedFile(doc, name, s));
    out.push(findings.find((f) => f.executable) ?? judgeEmbeddedFile(doc, name, undefined));
  }
  for (const s of walk.fileStreams) {
    if (!judged.has(s)) out.push(judgeEmbeddedFile(doc, '(embedded file stream)', s));
  }
  return out;
}

function inspectDict(
  doc: PdfDocument,
  d: PdfDict,
  out: PdfInspection,
  walk: Walk,
  objectNumber: number | undefined,
  stream?: PdfStream,
): void {
  // ISO 32000-1 12.6.4.16 JavaScript actions, 12.6.4.5 launch actions.
  const action = d.name('S');
  if (action === 'JavaScript' || d.has('JS')) {
    // An action that is not reachable from the document's own triggers belongs to a field.
    const target = walk.documentLevel.has(d) ? out.javaScript : out.formScripts;
    target.push(describeJs(doc, d));
  }
  if (action === 'Launch') out.launchActions++;

  const type = d.name('Type');
  // 12.8.1: a signature dictionary has /ByteRange and /Contents (/Type /Sig or /DocTimeStamp).
  if (d.has('ByteRange') && d.has('Contents')) walk.signatures.push({ dict: d, objectNumber });
  // 12.7.4.5: a signature field (a widget may be merged into it) holds its signature in /V.
  if (d.name('FT') === 'Sig' && d.has('V')) {
    const v = safeResolve(doc, d.get('V'));
    if (v instanceof PdfDict) {
      walk.fieldValues.set(v, text(doc.tryResolve(d.get('T'))) ?? `#${objectNumber ?? '?'}`);
    }
  }
  // 7.11.3: a file specification with /EF; 7.11.4: the embedded file stream itself.
  if (d.has('EF')) walk.filespecs.push(d);
  if (type === 'EmbeddedFile' && stream) walk.fileStreams.push(stream);
}

/**
 * Actions that run without anyone editing a field: the catalog's /OpenAction and /AA, the
 * named scripts of /Names /JavaScript, pages' /AA, and every action chained from them by
 * /Next (ISO 32000-1 12.6.2, 12.6.3, 7.7.4).
 */
function documentLevelActions(doc: PdfDocument): Set<PdfObject> {
  const out = new Set<PdfObject>();
  const add = (o: PdfObject | undefined, depth = 0): void => {
    const a = safeResolve(doc, o);
    if (depth > MAX_DEPTH || a === null || out.has(a)) return;
    if (Array.isArray(a)) return a.forEach((x) => add(x, depth + 1));
    if (!(a instanceof PdfDict)) return;
    out.add(a);
    add(a.get('Next'), depth + 1);
  };
  const triggers = (o: PdfObject | undefined): void => {
    const aa = safeResolve(doc, o);
    if (aa instanceof PdfDict) for (const v of aa.map.values()) add(v);
  };
  const nameTree = (o: PdfObject | undefined, depth = 0): void => {
    const node = safeResolve(doc, o);
    if (!(node instanceof PdfDict) || depth > MAX_DEPTH) return;
    const names = safeResolve(doc, node.get('Names'));
    if (Array.isArray(names)) names.forEach((v, i) => i % 2 === 1 && add(v));
    const kids = safeResolve(doc, node.get('Kids'));
    if (Array.isArray(kids)) kids.forEach((k) => nameTree(k, depth + 1));
  };
  const catalog = doc.catalog;
  add(catalog.get('OpenAction'));
  triggers(catalog.get('AA'));
  const names = safeResolve(doc, catalog.get('Names'));
  if (names instanceof PdfDict) nameTree(names.get('JavaScript'));
  try {
    for (const page of doc.pages()) triggers(page.dict.get('AA'));
  } catch {
    // A damaged page tree: the object walk still finds every script, as form scripts at worst.
  }
  return out;
}

function safeResolve(doc: PdfDocument, o: PdfObject | undefined): PdfObject | null {
  if (o === undefined) return null;
  return doc.tryResolve(o) ?? null;
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
