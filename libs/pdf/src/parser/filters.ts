import { inflateSync } from 'node:zlib';
import { damaged } from '../errors.js';
import { PdfDict, PdfName, type PdfObject, type PdfStream } from './objects.js';

/** Decoded streams larger than this are refused: a zip bomb must not take the process down. */
const MAX_DECODED = 512 * 1024 * 1024;

/** Applies the stream's filters (FlateDecode only; 7.4.4) and PNG/TIFF predictors (7.4.4.4). */
export function decodeStream(stream: PdfStream): Buffer {
  const filters = asList(stream.dict.get('Filter'));
  const parms = asList(stream.dict.get('DecodeParms'));
  let data: Buffer = stream.raw;
  filters.forEach((f, i) => {
    if (!(f instanceof PdfName)) throw damaged('stream filter is not a name');
    if (f.name !== 'FlateDecode' && f.name !== 'Fl') {
      throw damaged(`unsupported stream filter /${f.name}`, { filter: f.name });
    }
    data = inflate(data);
    const p = parms[i];
    if (p instanceof PdfDict) data = unpredict(data, p);
  });
  return data;
}

function asList(o: PdfObject | undefined): PdfObject[] {
  if (o === undefined || o === null) return [];
  return Array.isArray(o) ? o : [o];
}

function inflate(data: Buffer): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: MAX_DECODED });
  } catch {
    // Many writers leave a truncated or checksum-less zlib tail: take what inflates.
    try {
      return inflateSync(data, { maxOutputLength: MAX_DECODED, finishFlush: 2 /* SYNC */ });
    } catch (e) {
      throw damaged('stream does not inflate', { cause: String(e) });
    }
  }
}

function unpredict(data: Buffer, parms: PdfDict): Buffer {
  const predictor = num(parms.get('Predictor'), 1);
  if (predictor === 1) return data;
  const colors = num(parms.get('Colors'), 1);
  const bpc = num(parms.get('BitsPerComponent'), 8);
  const columns = num(parms.get('Columns'), 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (rowLen <= 0 || rowLen > 1 << 24) throw damaged('bad predictor parameters');

  if (predictor === 2) {
    if (bpc !== 8) throw damaged('TIFF predictor with BitsPerComponent other than 8');
    const out = Buffer.from(data);
    for (let r = 0; r + rowLen <= out.length; r += rowLen) {
      for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i] + out[r + i - bpp]) & 0xff;
    }
    return out;
  }

  // PNG predictors (10..15): every row starts with its own filter type byte.
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = Buffer.alloc(rows * rowLen);
  let prev = Buffer.alloc(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    const row = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const left = i >= bpp ? cur[i - bpp] : 0;
      const up = prev[i];
      const upLeft = i >= bpp ? prev[i - bpp] : 0;
      let v = row[i];
      switch (type) {
        case 0:
          break;
        case 1:
          v += left;
          break;
        case 2:
          v += up;
          break;
        case 3:
          v += (left + up) >> 1;
          break;
        case 4:
          v += paeth(left, up, upLeft);
          break;
        default:
          throw damaged(`bad PNG predictor row type ${type}`);
      }
      cur[i] = v & 0xff;
    }
    prev = cur;
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function num(o: PdfObject | undefined, dflt: number): number {
  return typeof o === 'number' ? o : dflt;
}
