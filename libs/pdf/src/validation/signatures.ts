import { digestByteRange } from '../signing/byte-range.js';
import { formFields } from '../signing/signature-field.js';
import { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfRef, PdfString, type PdfObject } from '../parser/objects.js';

// PDF 32000-1 12.8.1 and ISO 32000-2 12.8.1: what a signature's /ByteRange must look like.

export type ByteRangeAnomaly =
  | 'ByteRangeMissing'
  | 'ByteRangeMalformed'
  | 'ByteRangeNotFromStart'
  | 'ByteRangeOutsideFile'
  | 'ByteRangeOverlap'
  /** The excluded gap is not exactly the /Contents hex string (brackets included). */
  | 'GapIsNotContents'
  /** The covered bytes do not end where a revision (`%%EOF`) ends. */
  | 'NotEndingAtRevision'
  | 'ContentsMissing';

export interface PdfSignatureInfo {
  readonly fieldName: string;
  /** 'timestamp' for a document timestamp (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161). */
  readonly kind: 'signature' | 'timestamp';
  readonly filter?: string;
  readonly subFilter?: string;
  readonly byteRange?: readonly number[];
  /** The DER container from /Contents, zero padding removed. */
  readonly contents: Buffer;
  /** /M as written, and parsed when it is a valid PDF date. */
  readonly signingTimeRaw?: string;
  readonly signingTime?: Date;
  readonly reason?: string;
  readonly name?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** 0-based index of the revision the signature ends at, and that revision's end offset. */
  readonly revision?: { readonly index: number; readonly end: number };
  /** True when the byte range is [0, a, b, c], the gap is /Contents, and b + c is the file length. */
  readonly coversWholeFile: boolean;
  /** True when the byte range is well-formed and ends where its revision ends. */
  readonly coversRevision: boolean;
  readonly anomalies: readonly ByteRangeAnomaly[];
  /** The DocMDP /P when this is the certification signature. */
  readonly docMdp?: number;
}

/**
 * Lists every signature and document timestamp in the file, in byte order of their ranges.
 * Nothing is verified cryptographically here: libs/pki verifies the CMS against
 * `digestSignature(pdf, info)`.
 *
 * @example
 *   for (const s of readSignatures(pdf)) if (!s.coversWholeFile) warn(s.fieldName);
 */
export function readSignatures(pdf: Buffer | PdfDocument): PdfSignatureInfo[] {
  const doc = pdf instanceof PdfDocument ? pdf : PdfDocument.load(pdf);
  const ends = doc.revisionEnds();
  const docMdpSig = certificationRef(doc);
  const out: PdfSignatureInfo[] = [];
  const seen = new Set<PdfDict>();
  for (const field of signatureFields(doc)) {
    const v = field.dict.get('V');
    const sig = doc.tryResolve(v);
    if (!(sig instanceof PdfDict) || seen.has(sig)) continue;
    seen.add(sig);
    const holder = v instanceof PdfRef ? v : field.ref;
    const inFile = holder !== undefined && doc.entry(holder.num)?.type === 'offset';
    out.push(describe(doc, field.name, sig, inFile, ends, docMdpSig === sig));
  }
  return out.sort((a, b) => coveredEnd(a) - coveredEnd(b));
}

/** Digest of the bytes a signature covers, for comparison with the CMS messageDigest. */
export function digestSignature(pdf: Buffer, info: PdfSignatureInfo, algorithm = 'sha256'): Buffer {
  return digestByteRange(pdf, info.byteRange ?? [], algorithm);
}

function signatureFields(doc: PdfDocument): { name: string; ref?: PdfRef; dict: PdfDict }[] {
  const fields = formFields(doc).filter((f) => f.dict.name('FT') === 'Sig');
  const known = new Set(fields.flatMap((f) => (f.ref ? [f.ref.num] : [])));
  // Widgets on pages that the form forgot (some writers): still signatures of the document.
  for (const page of doc.pages()) {
    const annots = doc.tryResolve(page.dict.get('Annots'));
    if (!Array.isArray(annots)) continue;
    for (const a of annots) {
      if (!(a instanceof PdfRef) || known.has(a.num)) continue;
      const d = doc.tryResolve(a);
      if (d instanceof PdfDict && d.name('FT') === 'Sig' && d.has('V')) {
        const t = doc.tryResolve(d.get('T'));
        fields.push({ name: t instanceof PdfString ? t.text() : `#${a.num}`, ref: a, dict: d });
        known.add(a.num);
      }
    }
  }
  return fields;
}

function certificationRef(doc: PdfDocument): PdfObject {
  const perms = doc.tryResolve(doc.catalog.get('Perms'));
  return perms instanceof PdfDict ? doc.tryResolve(perms.get('DocMDP')) : null;
}

function describe(
  doc: PdfDocument,
  fieldName: string,
  sig: PdfDict,
  inFile: boolean,
  ends: { eof: number; end: number }[],
  isCertification: boolean,
): PdfSignatureInfo {
  const text = (key: string): string | undefined => {
    const s = doc.tryResolve(sig.get(key));
    return s instanceof PdfString ? s.text() : undefined;
  };
  const contentsObj = sig.get('Contents');
  const contents = contentsObj instanceof PdfString ? trimDer(contentsObj.bytes) : Buffer.alloc(0);
  const rawBr = doc.tryResolve(sig.get('ByteRange'));
  const byteRange =
    Array.isArray(rawBr) && rawBr.every((n) => typeof n === 'number')
      ? (rawBr as number[])
      : undefined;
  const span = inFile && contentsObj instanceof PdfString ? contentsObj.span : undefined;

  const anomalies: ByteRangeAnomaly[] = [];
  if (!(contentsObj instanceof PdfString)) anomalies.push('ContentsMissing');
  const size = doc.bytes.length;
  let coveredEnd: number | undefined;
  if (!byteRange) anomalies.push(rawBr === null ? 'ByteRangeMissing' : 'ByteRangeMalformed');
  else if (byteRange.length !== 4 || byteRange.some((n) => !Number.isInteger(n) || n < 0)) {
    anomalies.push('ByteRangeMalformed');
  } else {
    const [a, b, c, d] = byteRange;
    coveredEnd = c + d;
    if (a !== 0) anomalies.push('ByteRangeNotFromStart');
    if (a + b > size || c + d > size) anomalies.push('ByteRangeOutsideFile');
    if (c < a + b) anomalies.push('ByteRangeOverlap');
    if (!span || span[0] !== a + b || span[1] !== c) anomalies.push('GapIsNotContents');
  }

  const revIndex = coveredEnd === undefined ? -1 : ends.findIndex((e) => e.end >= coveredEnd!);
  const rev = revIndex >= 0 ? ends[revIndex] : undefined;
  const endsAtRevision = rev !== undefined && coveredEnd! >= rev.eof && coveredEnd! <= rev.end;
  if (byteRange && !endsAtRevision) anomalies.push('NotEndingAtRevision');
  const wellFormed = byteRange !== undefined && anomalies.length === 0;

  const m = text('M');
  const type = sig.name('Type');
  const subFilter = sig.name('SubFilter');
  return {
    fieldName,
    kind: type === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161' ? 'timestamp' : 'signature',
    filter: sig.name('Filter'),
    subFilter,
    byteRange,
    contents,
    signingTimeRaw: m,
    signingTime: m ? parsePdfDate(m) : undefined,
    reason: text('Reason'),
    name: text('Name'),
    location: text('Location'),
    contactInfo: text('ContactInfo'),
    revision: rev ? { index: revIndex, end: rev.end } : undefined,
    coversWholeFile: wellFormed && coveredEnd === size,
    coversRevision: wellFormed,
    anomalies,
    docMdp: isCertification ? docMdpOf(doc, sig) : undefined,
  };
}

function docMdpOf(doc: PdfDocument, sig: PdfDict): number {
  const refs = doc.tryResolve(sig.get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const d = doc.tryResolve(r);
    if (!(d instanceof PdfDict) || d.name('TransformMethod') !== 'DocMDP') continue;
    const params = doc.tryResolve(d.get('TransformParams'));
    const p = params instanceof PdfDict ? doc.tryResolve(params.get('P')) : undefined;
    if (typeof p === 'number') return p;
  }
  return 2;
}

/** /Contents is zero-padded: keep exactly the DER TLV (X.690 8.1.3 definite length). */
function trimDer(b: Buffer): Buffer {
  if (b.length < 2 || b[0] !== 0x30) return b;
  const first = b[1];
  if (first < 0x80) return b.subarray(0, Math.min(b.length, 2 + first));
  const n = first & 0x7f;
  if (n === 0 || n > 4 || b.length < 2 + n) return b;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
  return b.subarray(0, Math.min(b.length, 2 + n + len));
}

/** 7.9.4: D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional. */
export function parsePdfDate(s: string): Date | undefined {
  const m =
    /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se);
  const offset = (+oh * 60 + +om) * 60_000;
  const t = sign === '+' ? utc - offset : sign === '-' ? utc + offset : utc;
  return Number.isNaN(t) ? undefined : new Date(t);
}

function coveredEnd(s: PdfSignatureInfo): number {
  const br = s.byteRange;
  return br && br.length === 4 ? br[2] + br[3] : 0;
}
