import { PdfError, PdfErrorCode } from '../errors.js';
import { pageGeometry, type Box } from '../geometry/page-geometry.js';
import type { PdfDocument } from '../parser/document.js';
import { findText } from '../text/page-text.js';

/** Where a seal goes relative to a text on the page. */
export interface NearTextPlacement {
  /** The text to find; white space is ignored (see `findText`). */
  readonly text: string;
  /**
   * `right` (default), `left`, `above`, `below`: beside the text, centred on it across;
   * `over`: centred on the text, as a seal is stamped over the signatory's name (骑字盖章).
   */
  readonly position?: 'right' | 'left' | 'above' | 'below' | 'over';
  /** Widget size [width, height] in points. Default 120 x 120 (a 42 mm round seal). */
  readonly size?: readonly [number, number];
  /** Distance from the text in points. Default 4. */
  readonly gap?: number;
  /** Which match to use, 1-based, in page then content order. Default 1. */
  readonly occurrence?: number;
}

const DEFAULT_SIZE: readonly [number, number] = [120, 120];

/**
 * The page and the visible-orientation rectangle for a seal near `placement.text`, moved
 * inside the page's visible area when it would stick out. Throws PdfTextNotFound.
 */
export function placeNearText(
  doc: PdfDocument,
  placement: NearTextPlacement,
  page: number | undefined,
): { page: number; rect: Box } {
  const [w, h] = placement.size ?? DEFAULT_SIZE;
  const gap = placement.gap ?? 4;
  const occurrence = placement.occurrence ?? 1;
  if (!(w > 0 && h > 0 && Number.isFinite(w + h + gap)) || !(occurrence >= 1)) {
    throw new PdfError(PdfErrorCode.InvalidOptions, 'nearText size, gap or occurrence is invalid');
  }
  if (page !== undefined && !doc.pages()[page]) {
    throw new PdfError(PdfErrorCode.PageNotFound, `page ${page} does not exist`, { page });
  }

  const match = findText(doc, placement.text, { page })[occurrence - 1];
  if (!match) {
    throw new PdfError(PdfErrorCode.TextNotFound, 'the text to place the seal near is not there', {
      page,
      occurrence,
    });
  }

  const [x1, y1, x2, y2] = match.rect;
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  let left: number;
  let bottom: number;
  switch (placement.position ?? 'right') {
    case 'right':
      [left, bottom] = [x2 + gap, cy - h / 2];
      break;
    case 'left':
      [left, bottom] = [x1 - gap - w, cy - h / 2];
      break;
    case 'above':
      [left, bottom] = [cx - w / 2, y2 + gap];
      break;
    case 'below':
      [left, bottom] = [cx - w / 2, y1 - gap - h];
      break;
    case 'over':
      [left, bottom] = [cx - w / 2, cy - h / 2];
      break;
  }

  const g = pageGeometry(doc, doc.pages()[match.page]!.dict);
  const [minX, minY] = [g.box[0], g.box[1]];
  const [maxX, maxY] = [minX + g.visibleSize[0], minY + g.visibleSize[1]];
  left = Math.max(minX, Math.min(left, maxX - w));
  bottom = Math.max(minY, Math.min(bottom, maxY - h));
  return { page: match.page, rect: [left, bottom, left + w, bottom + h] };
}
