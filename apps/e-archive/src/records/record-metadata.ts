import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CATEGORY_CODE,
  FONDS_CODE,
  ORGANISATION_CODE,
  RETENTIONS,
  type Retention,
} from '../archival-code.js';

/** 开放状态: the suite keeps open and internal records only, never classified material. */
export const OPENNESS = ['公开', '内部'] as const;
export type Openness = (typeof OPENNESS)[number];

/**
 * The metadata a submitter sends with a record, after DA/T 46-2009 (文书类电子文件元数据方案)
 * elements: 全宗号 (M3), 门类 (M5), 年度 (M7), 保管期限 (M8), 机构问题 (M10), 题名 (M14),
 * 文号 (M21), 责任者 (M22), 日期 (M23), 页数 (M29), 开放状态 (M16).
 */
export class RecordMetadata {
  @ApiProperty({ example: 'Z109', description: '全宗号 fonds code (DA/T 13: four characters)' })
  fondsCode: string;
  @ApiPropertyOptional({ example: 'WS', description: '门类 category (default WS 文书)' })
  category: string;
  @ApiProperty({ example: 2025, description: '年度 year the record was formed' })
  year: number;
  @ApiProperty({ enum: RETENTIONS, description: '保管期限: Y permanent, D30, D10 years' })
  retention: Retention;
  @ApiProperty({ example: 'BGS', description: '机构问题 organisation or issue code' })
  organisation: string;
  @ApiProperty({ example: '关于印发营商环境优化方案的通知', description: '题名 title' })
  title: string;
  @ApiPropertyOptional({ example: '浙政办发〔2025〕12号', description: '文号 document number' })
  documentNumber?: string;
  @ApiProperty({ example: '某省人民政府办公厅', description: '责任者 creator' })
  creator: string;
  @ApiProperty({ example: '2025-03-18', description: '日期 date (YYYY-MM-DD)' })
  date: string;
  @ApiProperty({ example: 3, description: '页数 page count' })
  pageCount: number;
  @ApiProperty({ enum: OPENNESS, description: '开放状态 openness' })
  openness: Openness;
  @ApiProperty({ example: 'e-license', description: 'Submitting system' })
  sourceSystem: string;
  @ApiProperty({ example: 'LIC-2025-000123', description: "The record's id in that system" })
  sourceId: string;
  @ApiPropertyOptional({ description: 'SHA-256 of the file as the sender computed it (hex)' })
  sha256?: string;
}

export interface FieldIssue {
  field: string;
  message: string;
}

export interface MetadataReading {
  /** Present only when every required field is there and well formed. */
  metadata?: RecordMetadata;
  /** DA/T 70 integrity: required elements that are absent. */
  missing: FieldIssue[];
  /** DA/T 70 authenticity: elements whose format or value range is wrong. */
  invalid: FieldIssue[];
}

const REQUIRED = [
  'fondsCode',
  'year',
  'retention',
  'organisation',
  'title',
  'creator',
  'date',
  'pageCount',
  'openness',
  'sourceSystem',
  'sourceId',
] as const;
const KNOWN = new Set<string>([...REQUIRED, 'category', 'documentNumber', 'sha256']);

const SOURCE_SYSTEM = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SOURCE_ID = /^[\x21-\x7e]{1,200}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Reads and checks the submitted metadata; never throws on bad input. */
export function readRecordMetadata(raw: unknown, now = new Date()): MetadataReading {
  const missing: FieldIssue[] = [];
  const invalid: FieldIssue[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { missing: [{ field: 'metadata', message: 'must be a JSON object' }], invalid };
  }
  const m = raw as Record<string, unknown>;
  const bad = (field: string, message: string) => invalid.push({ field, message });

  for (const f of REQUIRED) {
    const v = m[f];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      missing.push({ field: f, message: 'is required (DA/T 46)' });
    }
  }
  for (const f of Object.keys(m)) if (!KNOWN.has(f)) bad(f, 'is not a known metadata element');

  const text = (f: string, max: number, pattern?: RegExp, hint?: string) => {
    const v = m[f];
    if (v === undefined || v === null || v === '') return;
    if (typeof v !== 'string') return bad(f, 'must be a string');
    if (v !== v.trim() || v.length > max || hasControlCharacter(v)) {
      return bad(f, `must be at most ${max} characters, without control characters or padding`);
    }
    if (pattern && !pattern.test(v)) bad(f, hint ?? `must match ${pattern.source}`);
  };
  text('fondsCode', 4, FONDS_CODE, 'must be four upper-case letters or digits (DA/T 13)');
  text('category', 3, CATEGORY_CODE, 'must be two or three upper-case letters, e.g. WS');
  text('organisation', 8, ORGANISATION_CODE, 'must be 1-8 upper-case letters or digits, e.g. BGS');
  text('title', 500);
  text('documentNumber', 100);
  text('creator', 200);
  text('sourceSystem', 64, SOURCE_SYSTEM, 'must be a lower-case system name');
  text('sourceId', 200, SOURCE_ID, 'must be 1-200 printable ASCII characters');
  text('sha256', 64, /^[0-9a-f]{64}$/i, 'must be 64 hexadecimal digits');

  const year = m.year;
  const thisYear = Number(chinaToday(now).slice(0, 4));
  if (year !== undefined && year !== null) {
    if (!Number.isInteger(year)) bad('year', 'must be an integer');
    else if ((year as number) < 1949 || (year as number) > thisYear) {
      bad('year', `must be between 1949 and ${thisYear}`);
    }
  }
  if (m.retention !== undefined && !RETENTIONS.includes(m.retention as Retention)) {
    bad('retention', `must be one of ${RETENTIONS.join(', ')}`);
  }
  if (m.openness !== undefined && !OPENNESS.includes(m.openness as Openness)) {
    bad('openness', `must be one of ${OPENNESS.join(', ')} (no classified material)`);
  }
  const pages = m.pageCount;
  if (pages !== undefined && pages !== null) {
    if (!Number.isInteger(pages) || (pages as number) < 1 || (pages as number) > 100_000) {
      bad('pageCount', 'must be an integer from 1 to 100000');
    }
  }
  checkDate(m.date, m.year, now, bad);

  if (missing.length || invalid.length) return { missing, invalid };
  const metadata = Object.assign(new RecordMetadata(), m, {
    category: (m.category as string | undefined) || 'WS',
    sha256: typeof m.sha256 === 'string' ? m.sha256.toLowerCase() : undefined,
  });
  return { metadata, missing, invalid };
}

function checkDate(
  date: unknown,
  year: unknown,
  now: Date,
  bad: (field: string, message: string) => void,
): void {
  if (date === undefined || date === null || date === '') return;
  const match = typeof date === 'string' ? DATE.exec(date) : null;
  const d = match ? new Date(`${date as string}T00:00:00Z`) : undefined;
  if (!match || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) {
    return bad('date', 'must be a calendar date YYYY-MM-DD');
  }
  // Documents carry calendar dates of China (UTC+8): from 16:00 UTC it is already tomorrow.
  if ((date as string) > chinaToday(now)) return bad('date', 'must not be in the future');
  // DA/T 22-2015 6.1.2: the year (年度) is the year the document was formed.
  if (Number.isInteger(year) && Number(match[1]) !== year) {
    bad('date', `must fall in the record's year ${String(year)}`);
  }
}

/** Today's date in China Standard Time (UTC+8, no daylight saving), as YYYY-MM-DD. */
function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
