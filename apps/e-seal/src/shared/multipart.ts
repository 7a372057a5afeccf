import type { Request, Response } from 'express';
import multer from 'multer';
import { SealError, SealErrorCode } from './seal-error.js';

export interface UploadedPdf {
  buffer: Buffer;
  originalname: string;
}

export interface MultipartBody {
  files: UploadedPdf[];
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data body into memory with hard limits: files over `maxBytes` stop
 * the upload as it streams (PdfTooLarge), so an oversized request costs no more than the limit.
 */
export function readMultipart(
  req: Request,
  options: { maxBytes: number; maxFiles: number; fileField: string },
): Promise<MultipartBody> {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: options.maxBytes,
      files: options.maxFiles,
      fields: 30,
      fieldSize: 64 * 1024,
      parts: options.maxFiles + 30,
    },
  }).array(options.fileField, options.maxFiles);

  return new Promise((resolve, reject) => {
    upload(req, {} as Response, (err: unknown) => {
      if (err) return reject(toSealError(err, options.maxBytes));
      const files = ((req as Request & { files?: UploadedPdf[] }).files ?? []).map((f) => ({
        buffer: f.buffer,
        originalname: f.originalname,
      }));
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
        if (typeof v === 'string') fields[k] = v;
      }
      resolve({ files, fields });
    });
  });
}

function toSealError(err: unknown, maxBytes: number): SealError {
  const code = (err as { code?: string }).code;
  if (code === 'LIMIT_FILE_SIZE') {
    return new SealError(SealErrorCode.PdfTooLarge, 413, 'The PDF is larger than allowed', {
      maxBytes,
    });
  }
  if (code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT') {
    return new SealError(SealErrorCode.PdfMissing, 400, 'Unexpected or too many file parts');
  }
  return new SealError(SealErrorCode.PdfMissing, 400, 'The multipart body could not be read');
}
