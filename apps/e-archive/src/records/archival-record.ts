import type { Retention } from '../archival-code.js';
import type { FourPropertiesReport } from '../four-properties/four-properties-report.js';
import type { Openness } from './record-metadata.js';

/** An archival record as stored: DA/T 46 metadata, fixity values and its check report. */
export interface ArchivalRecord {
  id: string;
  archivalCode: string;
  fondsCode: string;
  category: string;
  year: number;
  retention: Retention;
  organisation: string;
  item: number;
  title: string;
  documentNumber: string | null;
  creator: string;
  date: string;
  pageCount: number;
  openness: Openness;
  sourceSystem: string;
  sourceId: string;
  sha256: string;
  sm3: string;
  size: number;
  mediaType: string;
  ingestedBy: string;
  ingestedAt: string;
  lastFixity: { at: string; outcome: string } | null;
  disposedAt: string | null;
}

export interface RecordRow {
  id: string;
  archival_code: string;
  fonds_code: string;
  category: string;
  year: number;
  retention: Retention;
  organisation: string;
  item: number;
  title: string;
  document_number: string | null;
  creator: string;
  document_date: string | Date;
  page_count: number;
  openness: Openness;
  source_system: string;
  source_id: string;
  sha256: string;
  sm3: string;
  size: string | number;
  media_type: string;
  report?: FourPropertiesReport;
  ingested_by: string;
  ingested_at: Date | string;
  last_fixity_at: Date | string | null;
  last_fixity_outcome: string | null;
  disposed_at: Date | string | null;
}

/** Columns read for a record view (the report is read only when asked for). */
export const RECORD_COLUMNS = `"id","archival_code","fonds_code","category","year","retention",
  "organisation","item","title","document_number","creator",
  to_char("document_date", 'YYYY-MM-DD') AS "document_date","page_count","openness",
  "source_system","source_id","sha256","sm3","size","media_type","ingested_by","ingested_at",
  "last_fixity_at","last_fixity_outcome","disposed_at"`;

const iso = (d: Date | string): string => new Date(d).toISOString();

export function toArchivalRecord(r: RecordRow): ArchivalRecord {
  return {
    id: r.id,
    archivalCode: r.archival_code,
    fondsCode: r.fonds_code,
    category: r.category,
    year: r.year,
    retention: r.retention,
    organisation: r.organisation,
    item: r.item,
    title: r.title,
    documentNumber: r.document_number,
    creator: r.creator,
    date: typeof r.document_date === 'string' ? r.document_date : iso(r.document_date).slice(0, 10),
    pageCount: r.page_count,
    openness: r.openness,
    sourceSystem: r.source_system,
    sourceId: r.source_id,
    sha256: r.sha256,
    sm3: r.sm3,
    size: Number(r.size),
    mediaType: r.media_type,
    ingestedBy: r.ingested_by,
    ingestedAt: iso(r.ingested_at),
    lastFixity:
      r.last_fixity_at && r.last_fixity_outcome
        ? { at: iso(r.last_fixity_at), outcome: r.last_fixity_outcome }
        : null,
    disposedAt: r.disposed_at ? iso(r.disposed_at) : null,
  };
}
