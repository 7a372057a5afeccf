import { PDFDocument } from 'pdf-lib';
import { signPdf, timestampPdf } from '../signing/sign-pdf.js';
import { makeForgeCmsSigner } from '../testing/cms-test-signer.js';
import { makeSimplePdf } from '../testing/fixtures.js';
import { makeTestPki } from '../testing/test-pki.js';
import { PdfDocument } from '../parser/document.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString } from '../parser/objects.js';
import { IncrementalUpdate } from '../writer/incremental-update.js';
import { changesBeyondPermissions, compareRevisions } from './revisions.js';
import { readSignatures } from './signatures.js';

const signer = makeForgeCmsSigner(makeTestPki('Revisions'));

async function signedSimple(): Promise<Buffer> {
  return (await signPdf(await makeSimplePdf({ pages: 2 }), { signer, certify: { permissions: 2 } }))
    .pdf;
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
});

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
