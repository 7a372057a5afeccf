import { PdfError, PdfErrorCode } from '#pdf';
import { toSealErrorFromPdf } from './pdf-errors.js';
import { SealError, SealErrorCode } from './seal-error.js';

describe('toSealErrorFromPdf', () => {
  it('answers a signature that outgrew its reservation as our own server error, without details', () => {
    const err = toSealErrorFromPdf(
      new PdfError(PdfErrorCode.SignatureTooLarge, 'signature container keeps growing', {
        reserved: 16384,
      }),
    );

    expect(err).toBeInstanceOf(SealError);
    expect(err).toMatchObject({
      code: SealErrorCode.SignatureReservationTooSmall,
      status: 500,
      extensions: {},
    });
  });

  it('answers a damaged upload as the client’s PdfDamaged 422', () => {
    const err = toSealErrorFromPdf(new PdfError(PdfErrorCode.Damaged, 'no xref'));

    expect(err).toMatchObject({ code: SealErrorCode.PdfDamaged, status: 422 });
  });
});
