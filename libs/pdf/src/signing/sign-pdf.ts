import { createHash } from 'node:crypto';
import { renderAppearance, type SignatureAppearance } from '../appearance/appearance.js';
import { importPageAsForm } from '../appearance/import-form.js';
import { PdfError, PdfErrorCode } from '../errors.js';
import {
  pageGeometry,
  transformBox,
  uprightMatrix,
  visibleToUser,
  type PageGeometry,
} from '../geometry/page-geometry.js';
import { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfName, PdfRef, PdfString } from '../parser/objects.js';
import { IncrementalUpdate } from '../writer/incremental-update.js';
import { formatObject } from '../writer/serialize.js';
import {
  BYTE_RANGE_PLACEHOLDER,
  contentsPlaceholder,
  embedContents,
  patchByteRange,
  signedParts,
  type ByteRange,
} from './byte-range.js';
import { docMdpPermissions, docMdpReference, type DocMdpPermissions } from './doc-mdp.js';
import { placeNearText, type NearTextPlacement } from './near-text.js';
import {
  addFieldToAcroForm,
  addWidgetToPage,
  formFields,
  signatureWidget,
} from './signature-field.js';

/** What the CMS signer is given besides the digest. */
export interface SignedBytesInfo {
  /** Always 'sha256': the digest handed over is SHA-256 of the byte ranges. */
  readonly digestAlgorithm: 'sha256';
  readonly byteRange: ByteRange;
  /** The covered bytes themselves (views, no copy), for signers that hash on their own. */
  readonly signedParts: readonly Buffer[];
  /** The /M written into the signature dictionary; use it as the CMS signing-time too. */
  readonly signingTime: Date;
  /** The /SubFilter: 'ETSI.CAdES.detached' (PAdES) or 'ETSI.RFC3161' (document timestamp). */
  readonly subFilter: string;
}

/**
 * Produces a DER-encoded CMS SignedData over the document: detached (no eContent), whose
 * messageDigest attribute is `digest`. For ETSI.RFC3161 it returns a TimeStampToken instead.
 */
export type CmsSigner = (digest: Buffer, info: SignedBytesInfo) => Promise<Buffer>;

export type Rect = readonly [number, number, number, number];

export interface SignPdfOptions {
  readonly signer: CmsSigner;
  /** 0-based page for the widget. Default 0 (with `nearText`: the first page with the text). */
  readonly page?: number;
  /**
   * Widget rectangle in PDF points [x1 y1 x2 y2] as the reader sees the page: x to the right,
   * y up, origin at the crop box's lower-left corner as seen. On a page without /Rotate this
   * is exactly the default user space; on a page with /Rotate 90, 180 or 270 (own or
   * inherited) it is turned with the page, and the appearance is drawn upright for the reader
   * (form /Matrix and /MK /R). Omitted (and no `nearText`): an invisible signature.
   */
  readonly rect?: Rect;
  /**
   * Places the widget beside a text found on the page (e.g. `甲方（盖章）`) instead of at
   * `rect`; refused with PdfTextNotFound when the text is not there. Not with `rect`.
   */
  readonly nearText?: NearTextPlacement;
  /** Default: 'Signature1', 'Signature2', ... (the first free one). */
  readonly fieldName?: string;
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  readonly name?: string;
  /** /M of the signature dictionary. Default: now. */
  readonly signingTime?: Date;
  readonly subFilter?: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached' | 'ETSI.RFC3161';
  readonly appearance?: SignatureAppearance;
  /** Makes this a certification signature (12.8.2.2 DocMDP). Only as the first signature. */
  readonly certify?: { readonly permissions: DocMdpPermissions };
  /** Bytes to reserve for the CMS container. Grown automatically if the signer needs more. */
  readonly estimatedSignatureSize?: number;
  /** Inputs above this size are refused with PdfTooLarge. Default 256 MiB. */
  readonly maxBytes?: number;
}

export interface SignPdfResult {
  readonly pdf: Buffer;
  readonly fieldName: string;
  readonly byteRange: ByteRange;
  /** SHA-256 of the byte ranges, as handed to the signer. */
  readonly digest: Buffer;
  /** The page and visible-orientation rectangle of a visible widget (from `rect` or `nearText`). */
  readonly placement?: { readonly page: number; readonly rect: Rect };
}

const DEFAULT_RESERVED = 16 * 1024;
const MAX_ATTEMPTS = 3;

/**
 * Signs a PDF with one incremental update (PAdES B-B when the signer is CAdES): a signature
 * dictionary, a signature field in /AcroForm and its widget on the page. Earlier signatures
 * stay valid because the original bytes are kept as they are.
 *
 * @example
 *   const { pdf } = await signPdf(input, {
 *     signer: (digest) => pki.signCades(digest),
 *     reason: '电子印章', rect: [400, 50, 520, 170], appearance: { kind: 'seal', seal },
 *   });
 */
export async function signPdf(input: Buffer, opts: SignPdfOptions): Promise<SignPdfResult> {
  const doc = PdfDocument.load(input, { maxBytes: opts.maxBytes });
  checkSignable(doc, opts, opts.subFilter === 'ETSI.RFC3161');
  const prepared = await prepare(doc, opts);

  let reserved = opts.estimatedSignatureSize ?? DEFAULT_RESERVED;
  for (let attempt = 1; ; attempt++) {
    const signingTime = opts.signingTime ?? new Date();
    const result = await attemptSign(doc, opts, prepared, reserved, signingTime);
    if ('pdf' in result) return result;
    if (attempt >= MAX_ATTEMPTS) {
      throw new PdfError(PdfErrorCode.SignatureTooLarge, 'signature container keeps growing', {
        needed: result.needed,
      });
    }
    // Grow with headroom: a second call may carry a larger timestamp or revocation data.
    reserved = result.needed + 4096;
  }
}

/** Refusals that must happen before anything is written (pitfalls: encrypted, certified). */
export function checkSignable(
  doc: PdfDocument,
  opts: { certify?: unknown },
  timestamp = false,
): void {
  if (doc.isEncrypted) {
    throw new PdfError(PdfErrorCode.Encrypted, 'encrypted PDFs are not signed', {
      // TODO(pdf): strings of new objects would need the file key (7.6.2); refused instead.
      reason: 'encryption',
    });
  }
  const p = docMdpPermissions(doc);
  // ISO 32000-2 12.8.2.2.2: document timestamps (and DSS) stay allowed under P=1.
  if (p === 1 && !timestamp) {
    throw new PdfError(
      PdfErrorCode.CertifiedNoChanges,
      'the document is certified with DocMDP P=1: no changes are permitted',
    );
  }
  if (opts.certify && (p !== undefined || formFields(doc).some((f) => isSigned(doc, f.dict)))) {
    throw new PdfError(
      PdfErrorCode.CertifyNotFirst,
      'a certification signature must be the first signature of the document',
    );
  }
}

function isSigned(doc: PdfDocument, field: PdfDict): boolean {
  return field.name('FT') === 'Sig' && doc.tryResolve(field.get('V')) instanceof PdfDict;
}

interface Prepared {
  readonly page: { ref: PdfRef; dict: PdfDict };
  readonly fieldName: string;
  readonly appearancePdf?: Buffer;
  /** Visible-orientation rectangle, its user-space /Rect, and the page's geometry. */
  readonly placement?: { index: number; rect: Rect; userRect: Rect; geometry: PageGeometry };
}

async function prepare(doc: PdfDocument, opts: SignPdfOptions): Promise<Prepared> {
  if (opts.nearText && opts.rect) {
    throw new PdfError(PdfErrorCode.InvalidOptions, 'give either rect or nearText, not both');
  }
  const pages = doc.pages();
  const near = opts.nearText ? placeNearText(doc, opts.nearText, opts.page) : undefined;
  const index = near?.page ?? opts.page ?? 0;
  const page = pages[index];
  if (!page) {
    throw new PdfError(PdfErrorCode.PageNotFound, `page ${index} does not exist`, {
      page: index,
      pages: pages.length,
    });
  }

  const taken = new Set(formFields(doc).map((f) => f.name));
  let fieldName = opts.fieldName;
  if (fieldName !== undefined && (taken.has(fieldName) || fieldName.includes('.') || !fieldName)) {
    throw new PdfError(PdfErrorCode.FieldNameTaken, `field name '${fieldName}' is not available`);
  }
  for (let i = 1; fieldName === undefined; i++) {
    if (!taken.has(`Signature${i}`)) fieldName = `Signature${i}`;
  }

  const rect = near?.rect ?? opts.rect;
  let placement: Prepared['placement'];
  if (rect) {
    const geometry = pageGeometry(doc, page.dict);
    const userRect = transformBox(visibleToUser(geometry), rect);
    placement = { index, rect, userRect, geometry };
  }
  let appearancePdf: Buffer | undefined;
  if (opts.appearance && rect) {
    const [w, h] = size(rect);
    appearancePdf = await renderAppearance(opts.appearance, w, h);
  }
  return { page, fieldName, appearancePdf, placement };
}

function size(r: Rect): [number, number] {
  return [Math.abs(r[2] - r[0]), Math.abs(r[3] - r[1])];
}

async function attemptSign(
  doc: PdfDocument,
  opts: SignPdfOptions,
  prepared: Prepared,
  reserved: number,
  signingTime: Date,
): Promise<SignPdfResult | { needed: number }> {
  const update = new IncrementalUpdate(doc);
  const catalog = doc.catalog.clone();
  let catalogChanged = false;

  const sigRef = update.allocate();
  const widgetRef = update.allocate();
  const placement = prepared.placement;
  const rect = placement?.userRect ?? [0, 0, 0, 0];
  const rotate = placement?.geometry.rotate ?? 0;
  let apRef: PdfRef | undefined;
  if (prepared.appearancePdf && placement) {
    const [w, h] = size(placement.rect);
    apRef = importPageAsForm(update, prepared.appearancePdf, w, h, uprightMatrix(rotate));
  }

  const subFilter = opts.subFilter ?? 'ETSI.CAdES.detached';
  update.setRaw(sigRef, signatureDictionary(opts, subFilter, reserved, signingTime));
  update.set(
    widgetRef,
    signatureWidget({
      name: prepared.fieldName,
      sigRef,
      pageRef: prepared.page.ref,
      rect,
      appearance: apRef,
      rotate,
    }),
  );
  catalogChanged = addFieldToAcroForm(doc, update, widgetRef, catalog) || catalogChanged;
  addWidgetToPage(doc, update, prepared.page, widgetRef);
  if (opts.certify) {
    const perms = doc.tryResolve(catalog.get('Perms'));
    const merged = perms instanceof PdfDict ? perms.clone() : new PdfDict();
    catalog.set('Perms', merged.set('DocMDP', sigRef));
    catalogChanged = true;
  }
  if (catalogChanged) update.set(doc.catalogRef, catalog);

  const { bytes, offsets } = update.write();
  const patched = patchByteRange(bytes, offsets.get(sigRef.num)!);
  const parts = signedParts(bytes, patched.byteRange);
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  const digest = hash.digest();

  const cms = await opts.signer(digest, {
    digestAlgorithm: 'sha256',
    byteRange: patched.byteRange,
    signedParts: parts,
    signingTime,
    subFilter,
  });
  if (cms.length > patched.reservedBytes) return { needed: cms.length };
  embedContents(bytes, patched, cms);
  return {
    pdf: bytes,
    fieldName: prepared.fieldName,
    byteRange: patched.byteRange,
    digest,
    placement: placement && { page: placement.index, rect: placement.rect },
  };
}

/** ByteRange and Contents come first so that no caller string can precede the placeholders. */
function signatureDictionary(
  opts: SignPdfOptions,
  subFilter: string,
  reserved: number,
  signingTime: Date,
): string {
  const timestamp = subFilter === 'ETSI.RFC3161';
  const rest = new PdfDict();
  // 12.8.5: a document timestamp's time is in its token, not in /M.
  if (!timestamp) rest.set('M', new PdfString(Buffer.from(pdfDate(signingTime), 'latin1')));
  if (opts.name !== undefined) rest.set('Name', PdfString.fromText(opts.name));
  if (opts.reason !== undefined) rest.set('Reason', PdfString.fromText(opts.reason));
  if (opts.location !== undefined) rest.set('Location', PdfString.fromText(opts.location));
  if (opts.contactInfo !== undefined) rest.set('ContactInfo', PdfString.fromText(opts.contactInfo));
  if (opts.certify) rest.set('Reference', docMdpReference(opts.certify.permissions));
  const tail = formatObject(rest).slice(2, -2);
  const head = formatObject(
    new PdfDict([
      ['Type', PdfName.of(timestamp ? 'DocTimeStamp' : 'Sig')],
      ['Filter', PdfName.of('Adobe.PPKLite')],
      ['SubFilter', PdfName.of(subFilter)],
    ]),
  ).slice(2, -2);
  return `<<${head} ${BYTE_RANGE_PLACEHOLDER} ${contentsPlaceholder(reserved)} ${tail}>>`;
}

export interface TimestampPdfOptions {
  /** Returns a DER RFC 3161 TimeStampToken whose message imprint is `digest` (SHA-256). */
  readonly timestamper: CmsSigner;
  readonly fieldName?: string;
  readonly estimatedSignatureSize?: number;
  readonly maxBytes?: number;
}

/**
 * Adds a document timestamp (PAdES B-LTA, PDF 2.0 12.8.5): /Type /DocTimeStamp with
 * /SubFilter /ETSI.RFC3161, an invisible field, one incremental update.
 *
 * @example
 *   const { pdf } = await timestampPdf(signed, { timestamper: (d) => tsa.stamp(d) });
 */
export function timestampPdf(input: Buffer, opts: TimestampPdfOptions): Promise<SignPdfResult> {
  return signPdf(input, {
    signer: opts.timestamper,
    subFilter: 'ETSI.RFC3161',
    fieldName: opts.fieldName,
    estimatedSignatureSize: opts.estimatedSignatureSize ?? 8192,
    maxBytes: opts.maxBytes,
  });
}

/** 7.9.4 date: D:YYYYMMDDHHmmSS+00'00' in UTC. */
export function pdfDate(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+00'00'`
  );
}
