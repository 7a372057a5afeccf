import type { Rect } from '#pdf';
import { SealError, SealErrorCode } from '../shared/seal-error.js';

/** Where a seal goes: a page (1-based, as people count) and the seal's lower-left corner. */
export interface Placement {
  /** Omitted with nearText: the first page that has the text. */
  page?: number;
  x?: number;
  y?: number;
  nearText?: string;
  /** Where beside the text: right (default), left, above, below, or over it (骑字盖章). */
  position?: NearTextPosition;
  /** Side of the square seal box in points; 119 pt is the usual 42 mm round seal. */
  size: number;
}

const DEFAULT_SIZE = 119;
const POSITIONS = ['right', 'left', 'above', 'below', 'over'] as const;
export type NearTextPosition = (typeof POSITIONS)[number];

/** Reads and checks the placement fields of a sealing request (all strings in multipart). */
export function parsePlacement(fields: Record<string, string | undefined>): Placement {
  const num = (name: string): number | undefined => {
    const raw = fields[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) invalid(`${name} must be a number`);
    return n;
  };
  const page = num('page');
  const size = num('size') ?? DEFAULT_SIZE;
  const x = num('x');
  const y = num('y');
  const nearText = fields.nearText?.trim() || undefined;

  if (page !== undefined && (!Number.isInteger(page) || page < 1 || page > 100_000)) {
    invalid('page must be 1 or more');
  }
  const position = fields.position || undefined;
  if (position !== undefined && !POSITIONS.includes(position as NearTextPosition)) {
    invalid(`position must be one of ${POSITIONS.join(', ')}`);
  }
  if (size < 30 || size > 400) invalid('size must be between 30 and 400 points');
  if (nearText === undefined && (x === undefined || y === undefined)) {
    invalid('give x and y, or nearText');
  }
  if (nearText !== undefined && nearText.length > 200) invalid('nearText is too long');
  for (const [name, v] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (v !== undefined && (v < 0 || v > 14_400)) invalid(`${name} is outside any page`);
  }
  return {
    page: page ?? (nearText === undefined ? 1 : undefined),
    x,
    y,
    nearText,
    position: position as NearTextPosition | undefined,
    size,
  };
}

export function rectOf(p: Placement & { x: number; y: number }): Rect {
  return [p.x, p.y, p.x + p.size, p.y + p.size];
}

function invalid(message: string): never {
  throw new SealError(SealErrorCode.PlacementInvalid, 400, message);
}
