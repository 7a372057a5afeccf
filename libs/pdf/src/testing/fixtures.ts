import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A small text PDF written by pdf-lib (classic table, or object streams when asked). */
export async function makeSimplePdf(
  options: { pages?: number; objectStreams?: boolean; padding?: number } = {},
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Page ${i + 1}`, { x: 72, y: 760, size: 24, font });
  }
  if (options.padding) {
    // Incompressible bytes in an attachment: makes a large file without a large parse.
    const blob = randomBytes(options.padding);
    await doc.attach(blob, 'padding.bin', { mimeType: 'application/octet-stream' });
  }
  return Buffer.from(await doc.save({ useObjectStreams: options.objectStreams ?? false }));
}

/** An RGBA PNG of a red disc on transparency, encoded by hand (PNG spec, filter 0 rows). */
export function makeRgbaPng(size = 64): Buffer {
  return encodePng(size, size, (x, y) => {
    const inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size / 2.2) ** 2;
    return [220, 20, 20, inside ? 255 : 0];
  });
}

/**
 * An opaque PNG, red in its top half and blue in its bottom half: shows on a rendering
 * which way up an appearance is.
 */
export function makeTwoTonePng(width = 64, height = 64): Buffer {
  return encodePng(width, height, (_x, y) =>
    y < height / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255],
  );
}

function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Buffer {
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
