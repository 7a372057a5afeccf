import { PDFDocument } from 'pdf-lib';
import { signPdf, timestampPdf } from '../signing/sign-pdf.js';
import { makeForgeCmsSigner } from '../testing/cms-test-signer.js';
import { makeSimplePdf } from '../testing/fixtures.js';
import { makeTestPki } from '../testing/test-pki.js';
import { PdfDocument } from '../parser/document.js';
import {
  PdfDict,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  type PdfObject,
} from '../parser/objects.js';
import { IncrementalUpdate } from '../writer/incremental-update.js';
import { changesBeyondPermissions, compareRevisions } from './revisions.js';
import { readSignatures } from './signatures.js';

const signer = makeForgeCmsSigner(makeTestPki('Revisions'));

async function signedSimple(): Promise<Buffer> {
  return (await signPdf(await makeSimplePdf({ pages: 2 }), { signer, certify: { permissions: 2 } }))
    .pdf;
}

/** One incremental update on `pdf`; `edit` sets objects through the update it is given. */
function update(pdf: Buffer, edit: (doc: PdfDocument, u: IncrementalUpdate) => void): Buffer {
  const doc = PdfDocument.load(pdf);
  const u = new IncrementalUpdate(doc);
  edit(doc, u);
  return u.write().bytes;
}

/** The Pages root (its reference and dictionary) of a document whose tree is one level. */
function pagesRoot(doc: PdfDocument): { ref: PdfRef; dict: PdfDict } {
  const ref = doc.catalog.get('Pages') as PdfRef;
  return { ref, dict: doc.resolve(ref) as PdfDict };
}

/** Sets a catalog entry (the catalog object itself replaced in the update). */
function setCatalog(doc: PdfDocument, u: IncrementalUpdate, key: string, value: PdfObject) {
  u.set(doc.trailer.get('Root') as PdfRef, doc.catalog.clone().set(key, value));
}

/** What the verifier would report for the first signature of `pdf`, under P=2. */
function beyondFirstSignature(pdf: Buffer, permissions: 1 | 2 | 3 = 2) {
  const [sig] = readSignatures(pdf);
  expect(sig.coversRevision).toBe(true);
  expect(sig.coversWholeFile).toBe(false);
  const changes = compareRevisions(pdf, sig.revision!.end);
  return { changes, beyond: changesBeyondPermissions(changes, permissions) };
}

describe('compareRevisions', () => {
  test('sees only an added signature when a document is signed again', async () => {
    const first = await signedSimple();
    const second = (await signPdf(first, { signer, page: 1 })).pdf;
    const [cert] = readSignatures(second);
    const changes = compareRevisions(second, cert.revision!.end);
    expect(changes.signaturesAdded).toEqual(['Signature2']);
    expect(changes.pageContentChanged).toEqual([]);
    expect(changes.annotationsAdded).toEqual([]);
    expect(changesBeyondPermissions(changes, 2)).toEqual([]);
  });

  test('reports page content replaced after signing (a shadow attack)', async () => {
    const signed = await signedSimple();
    const doc = PdfDocument.load(signed);
    const page = doc.pages()[0];
    const update = new IncrementalUpdate(doc);
    const contents = update.allocate();
    update.set(
      contents,
      new PdfStream(new PdfDict(), Buffer.from('BT /F1 24 Tf 72 700 Td (Pay 1,000,000) Tj ET')),
    );
    update.set(page.ref, page.dict.clone().set('Contents', contents));
    const attacked = update.write().bytes;

    const [sig] = readSignatures(attacked);
    expect(sig.coversWholeFile).toBe(false);
    expect(sig.coversRevision).toBe(true);
    const changes = compareRevisions(attacked, sig.revision!.end);
    expect(changes.pageContentChanged).toEqual([0]);
    expect(changesBeyondPermissions(changes, 2)).toContain('page content changed');
  });

  test('reports an annotation added after signing', async () => {
    const signed = await signedSimple();
    const doc = PdfDocument.load(signed);
    const page = doc.pages()[1];
    const update = new IncrementalUpdate(doc);
    const note = update.allocate();
    update.set(
      note,
      new PdfDict([
        ['Type', PdfName.of('Annot')],
        ['Subtype', PdfName.of('Square')],
        ['Rect', [0, 0, 500, 500]],
      ]),
    );
    update.set(page.ref, page.dict.clone().set('Annots', [note]));
    const changed = update.write().bytes;
    const [sig] = readSignatures(changed);
    const changes = compareRevisions(changed, sig.revision!.end);
    expect(changes.annotationsAdded).toEqual([{ page: 1, subtype: 'Square', object: note.num }]);
    expect(changesBeyondPermissions(changes, 3)).toEqual([]);
    expect(changesBeyondPermissions(changes, 2)).toEqual(['annotations changed']);
  });

  test('reports a form value changed after signing', async () => {
    const pdfLib = await PDFDocument.create();
    const page = pdfLib.addPage();
    pdfLib.getForm().createTextField('amount').setText('100');
    pdfLib.getForm().getTextField('amount').addToPage(page);
    const input = Buffer.from(await pdfLib.save({ useObjectStreams: false }));
    const signed = (await signPdf(input, { signer })).pdf;

    const doc = PdfDocument.load(signed);
    const field = doc.objectNumbers().find((n) => {
      const o = doc.getObject(n);
      return o instanceof PdfDict && o.name('FT') === 'Tx';
    })!;
    const update = new IncrementalUpdate(doc);
    const dict = (doc.getObject(field) as PdfDict).clone();
    update.set(new PdfRef(field, 0), dict.set('V', PdfString.fromText('900')));
    const changed = update.write().bytes;
    const [sig] = readSignatures(changed);
    const changes = compareRevisions(changed, sig.revision!.end);
    expect(changes.fieldValuesChanged).toEqual(['amount']);
    expect(changesBeyondPermissions(changes, 2)).toEqual([]);
    expect(changesBeyondPermissions(changes, 1)).toEqual(['form filled or signed']);
  });
  test('reports a page added after signing', async () => {
    const changed = update(await signedSimple(), (doc, u) => {
      const pages = pagesRoot(doc);
      const page = u.allocate();
      u.set(page, doc.pages()[0]!.dict.clone());
      const kids = doc.resolve(pages.dict.get('Kids')) as PdfObject[];
      u.set(
        pages.ref,
        pages.dict
          .clone()
          .set('Kids', [...kids, page])
          .set('Count', kids.length + 1),
      );
    });

    const { changes, beyond } = beyondFirstSignature(changed);

    expect(changes.pagesAdded).toEqual([2]);
    expect(beyond).toContain('pages added');
  });

  test('reports a page removed after signing', async () => {
    const changed = update(await signedSimple(), (doc, u) => {
      const pages = pagesRoot(doc);
      const kids = doc.resolve(pages.dict.get('Kids')) as PdfObject[];
      u.set(pages.ref, pages.dict.clone().set('Kids', kids.slice(0, 1)).set('Count', 1));
    });

    const { changes, beyond } = beyondFirstSignature(changed);

    expect(changes.pagesRemoved).toEqual([1]);
    expect(beyond).toContain('pages removed');
  });

  test('reports a form field added after signing', async () => {
    const changed = update(await signedSimple(), (doc, u) => {
      const page = doc.pages()[0]!;
      const field = u.allocate();
      u.set(
        field,
        new PdfDict([
          ['Type', PdfName.of('Annot')],
          ['Subtype', PdfName.of('Widget')],
          ['FT', PdfName.of('Tx')],
          ['T', PdfString.fromText('payee')],
          ['V', PdfString.fromText('Mallory')],
          ['Rect', [100, 100, 300, 130]],
          ['P', page.ref],
        ]),
      );
      const annots = (doc.tryResolve(page.dict.get('Annots')) as PdfObject[] | null) ?? [];
      u.set(page.ref, page.dict.clone().set('Annots', [...annots, field]));
      const acroRef = doc.catalog.get('AcroForm');
      const acro = doc.resolve(acroRef) as PdfDict;
      const fields = doc.resolve(acro.get('Fields')) as PdfObject[];
      const next = acro.clone().set('Fields', [...fields, field]);
      if (acroRef instanceof PdfRef) u.set(acroRef, next);
      else setCatalog(doc, u, 'AcroForm', next);
    });

    const { changes, beyond } = beyondFirstSignature(changed);

    expect(changes.fieldsAdded).toEqual(['payee']);
    expect(beyond).toEqual(expect.arrayContaining(['form fields added or removed']));
  });

  test('reports a signed seal’s appearance redrawn after signing', async () => {
    const signed = (await signPdf(await makeSimplePdf(), { signer, rect: [50, 50, 150, 150] })).pdf;
    const changed = update(signed, (doc, u) => {
      const widget = doc.objectNumbers().find((n) => {
        const o = doc.getObject(n);
        return o instanceof PdfDict && o.name('FT') === 'Sig';
      })!;
      const forged = u.allocate();
      const drawing = Buffer.from('1 0 0 rg 0 0 100 100 re f');
      u.set(
        forged,
        new PdfStream(
          new PdfDict([
            ['Type', PdfName.of('XObject')],
            ['Subtype', PdfName.of('Form')],
            ['BBox', [0, 0, 100, 100]],
            ['Length', drawing.length],
          ]),
          drawing,
        ),
      );
      const dict = (doc.getObject(widget) as PdfDict).clone();
      u.set(new PdfRef(widget, 0), dict.set('AP', new PdfDict([['N', forged]])));
    });

    const { changes, beyond } = beyondFirstSignature(changed, 3);

    expect(changes.widgetsChanged).toEqual([
      expect.objectContaining({ page: 0, subtype: 'Widget', filled: false }),
    ]);
    expect(beyond).toContain('widget appearance changed');
  });

  test('reports an annotation present when signed and changed afterwards', async () => {
    const annotated = update(await makeSimplePdf(), (doc, u) => {
      const page = doc.pages()[0]!;
      const note = u.allocate();
      u.set(note, square([0, 0, 10, 10]));
      u.set(page.ref, page.dict.clone().set('Annots', [note]));
    });
    const signed = (await signPdf(annotated, { signer, certify: { permissions: 2 } })).pdf;
    const changed = update(signed, (doc, u) => {
      const note = (doc.resolve(doc.pages()[0]!.dict.get('Annots')) as PdfRef[])[0]!;
      u.set(note, square([0, 0, 500, 700]));
    });

    const { changes, beyond } = beyondFirstSignature(changed);

    expect(changes.annotationsChanged).toEqual([expect.objectContaining({ subtype: 'Square' })]);
    expect(beyond).toContain('annotations changed');
  });

  test('reports an OpenAction added after signing', async () => {
    const changed = update(await signedSimple(), (doc, u) => {
      const action = new PdfDict([
        ['S', PdfName.of('JavaScript')],
        ['JS', PdfString.fromText('app.alert("signed?")')],
      ]);
      setCatalog(doc, u, 'OpenAction', action);
    });

    const { changes, beyond } = beyondFirstSignature(changed, 3);

    expect(changes.catalogChanged).toEqual(['OpenAction']);
    expect(beyond).toEqual(['document OpenAction changed']);
  });

  test('does not take a new signature on a page as a change of an OpenAction naming that page', async () => {
    const opening = update(await makeSimplePdf(), (doc, u) =>
      setCatalog(doc, u, 'OpenAction', [doc.pages()[0]!.ref, PdfName.of('Fit')]),
    );
    const first = (await signPdf(opening, { signer, certify: { permissions: 2 } })).pdf;
    const second = (await signPdf(first, { signer, rect: [300, 300, 400, 400] })).pdf;

    const [sig] = readSignatures(second);
    const changes = compareRevisions(second, sig.revision!.end);

    expect(changes.signaturesAdded).toEqual(['Signature2']);
    expect(changes.catalogChanged).toEqual([]);
    expect(changesBeyondPermissions(changes, 2)).toEqual([]);
  });

  test('reports a page’s MediaBox changed after signing', async () => {
    const changed = update(await signedSimple(), (doc, u) => {
      const page = doc.pages()[1]!;
      u.set(page.ref, page.dict.clone().set('MediaBox', [0, 0, 200, 200]));
    });

    const { changes, beyond } = beyondFirstSignature(changed);

    expect(changes.pageGeometryChanged).toEqual([1]);
    expect(beyond).toEqual(['page geometry changed']);
  });

  test('reports resources inherited from the Pages tree changed after signing', async () => {
    // Before signing, page resources move to the Pages node (7.7.3.4 inheritance).
    const inheriting = update(await makeSimplePdf({ pages: 2 }), (doc, u) => {
      const pages = pagesRoot(doc);
      const resources = doc.pages()[0]!.dict.get('Resources')!;
      u.set(pages.ref, pages.dict.clone().set('Resources', resources));
      for (const page of doc.pages()) {
        const d = page.dict.clone();
        d.delete('Resources');
        u.set(page.ref, d);
      }
    });
    const signed = (await signPdf(inheriting, { signer, certify: { permissions: 2 } })).pdf;
    const changed = update(signed, (doc, u) => {
      const pages = pagesRoot(doc);
      const font = new PdfDict([
        ['Type', PdfName.of('Font')],
        ['Subtype', PdfName.of('Type1')],
        ['BaseFont', PdfName.of('Courier')],
      ]);
      u.set(
        pages.ref,
        pages.dict.clone().set('Resources', new PdfDict([['Font', new PdfDict([['F1', font]])]])),
      );
    });

    const { changes, beyond } = beyondFirstSignature(changed);

    expect(changes.pageContentChanged).toEqual([0, 1]);
    expect(beyond).toEqual(['page content changed']);
  });

  test('says the comparison is incomplete when a page has too many objects to compare', async () => {
    const changed = update(await signedSimple(), (doc, u) => {
      const page = doc.pages()[0]!;
      const huge = Array.from({ length: 60_000 }, (_, i) => i);
      u.set(page.ref, page.dict.clone().set('Group', huge));
    });

    const { changes, beyond } = beyondFirstSignature(changed);

    expect(changes.incomplete).toEqual(['page 1']);
    expect(beyond).toContain('comparison incomplete (too many objects)');
  });
});

function square(rect: number[]): PdfDict {
  return new PdfDict([
    ['Type', PdfName.of('Annot')],
    ['Subtype', PdfName.of('Square')],
    ['Rect', rect],
  ]);
}

describe('timestampPdf', () => {
  test('adds a document timestamp covering the whole file', async () => {
    const signed = (await signPdf(await makeSimplePdf(), { signer })).pdf;
    const { pdf } = await timestampPdf(signed, { timestamper: signer });
    const sigs = readSignatures(pdf);
    expect(sigs.map((s) => s.kind)).toEqual(['signature', 'timestamp']);
    expect(sigs[1].subFilter).toBe('ETSI.RFC3161');
    expect(sigs[1].coversWholeFile).toBe(true);
  });
});
