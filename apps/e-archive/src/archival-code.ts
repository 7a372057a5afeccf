/**
 * 档号 (archival code) after DA/T 13-2022 and DA/T 22-2015: fonds code, records category,
 * year, retention period, organisation or issue code and item number, e.g.
 * `Z109-WS·2025·Y·BGS-0001`. The item number counts within one (fonds, category, year,
 * retention, organisation) group and has no gaps (DA/T 22-2015 6.3: 件号 is a running number).
 */
export interface ArchivalCodeParts {
  fondsCode: string;
  category: string;
  year: number;
  retention: Retention;
  organisation: string;
  item: number;
}

/** DA/T 22-2015 6.1.3 retention periods: permanent, 30 years, 10 years. */
export const RETENTIONS = ['Y', 'D30', 'D10'] as const;
export type Retention = (typeof RETENTIONS)[number];

export const FONDS_CODE = /^[A-Z0-9]{4}$/;
export const CATEGORY_CODE = /^[A-Z]{2,3}$/;
export const ORGANISATION_CODE = /^[A-Z0-9]{1,8}$/;

/** The middle dot of DA/T 13 (U+00B7) between category, year, retention and organisation. */
const DOT = '\u00b7';
const CODE =
  /^([A-Z0-9]{4})-([A-Z]{2,3})\u00b7(\d{4})\u00b7(Y|D30|D10)\u00b7([A-Z0-9]{1,8})-(\d{4,6})$/;

/** Item numbers are written with at least four digits (DA/T 22-2015 6.3: 0001). */
export function formatArchivalCode(p: ArchivalCodeParts): string {
  const item = String(p.item).padStart(4, '0');
  return `${p.fondsCode}-${p.category}${DOT}${p.year}${DOT}${p.retention}${DOT}${p.organisation}-${item}`;
}

/** Parses a code; undefined when it is not well formed. */
export function parseArchivalCode(code: string): ArchivalCodeParts | undefined {
  const m = CODE.exec(code);
  if (!m) return undefined;
  const item = Number(m[6]);
  if (item < 1) return undefined;
  return {
    fondsCode: m[1]!,
    category: m[2]!,
    year: Number(m[3]),
    retention: m[4] as Retention,
    organisation: m[5]!,
    item,
  };
}

export function isWellFormedArchivalCode(code: string): boolean {
  const parts = parseArchivalCode(code);
  return parts !== undefined && formatArchivalCode(parts) === code;
}

/**
 * The first day a record may be disposed of: retention counts from 1 January of the year after
 * the record's year (DA/T 22-2015 6.1.3); permanent records never expire.
 */
export function retentionExpiry(year: number, retention: Retention): Date | undefined {
  switch (retention) {
    case 'Y':
      return undefined;
    case 'D30':
      return new Date(Date.UTC(year + 1 + 30, 0, 1));
    case 'D10':
      return new Date(Date.UTC(year + 1 + 10, 0, 1));
  }
}
