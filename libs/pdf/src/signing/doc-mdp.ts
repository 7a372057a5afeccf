import type { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfName, type PdfObject } from '../parser/objects.js';

// PDF 32000-1 12.8.2.2: DocMDP, the certification signature's permissions.

export type DocMdpPermissions = 1 | 2 | 3;

/** /P of the document's certification signature, if it has one (default 2 when absent). */
export function docMdpPermissions(doc: PdfDocument): DocMdpPermissions | undefined {
  const perms = doc.tryResolve(doc.catalog.get('Perms'));
  if (!(perms instanceof PdfDict)) return undefined;
  const sig = doc.tryResolve(perms.get('DocMDP'));
  if (!(sig instanceof PdfDict)) return undefined;
  const refs = doc.tryResolve(sig.get('Reference'));
  if (Array.isArray(refs)) {
    for (const r of refs) {
      const sigRef = doc.tryResolve(r);
      if (!(sigRef instanceof PdfDict) || sigRef.name('TransformMethod') !== 'DocMDP') continue;
      const params = doc.tryResolve(sigRef.get('TransformParams'));
      const p = params instanceof PdfDict ? doc.tryResolve(params.get('P')) : undefined;
      return p === 1 || p === 3 ? p : 2;
    }
  }
  return 2;
}

/** The /Reference array entry of a certification signature (12.8.1, Table 253). */
export function docMdpReference(p: DocMdpPermissions): PdfObject {
  const params = new PdfDict([
    ['Type', PdfName.of('TransformParams')],
    ['P', p],
    ['V', PdfName.of('1.2')],
  ]);
  return [
    new PdfDict([
      ['Type', PdfName.of('SigRef')],
      ['TransformMethod', PdfName.of('DocMDP')],
      ['TransformParams', params],
    ]),
  ];
}
