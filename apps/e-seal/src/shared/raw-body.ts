import type { Request } from 'express';
import { SealError, SealErrorCode } from './seal-error.js';

/**
 * Reads a binary request body (a PDF, an RFC 3161 query) up to `maxBytes`; past the limit the
 * request is refused with `tooLarge` while streaming, so memory stays bounded.
 */
export async function readRawBody(
  req: Request,
  maxBytes: number,
  tooLarge: SealErrorCode = SealErrorCode.PdfTooLarge,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw limitError(tooLarge, maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      req.unpipe();
      req.resume();
      throw limitError(tooLarge, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function limitError(code: SealErrorCode, maxBytes: number): SealError {
  return new SealError(code, 413, 'The request body is larger than allowed', { maxBytes });
}
