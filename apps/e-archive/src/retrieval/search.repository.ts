import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  RECORD_COLUMNS,
  toArchivalRecord,
  type ArchivalRecord,
  type RecordRow,
} from '../records/archival-record.js';
import { fondsTerm, queryTerms } from './title-terms.js';

export interface SearchFilter {
  fonds: string[] | '*';
  q?: string;
  documentNumber?: string;
  creator?: string;
  year?: number;
  dateFrom?: string;
  dateTo?: string;
  retention?: string;
  includeDisposed: boolean;
  limit: number;
  offset: number;
}

/** Search over the record table: title terms by GIN (@>), the rest by b-tree indexes. */
@Injectable()
export class SearchRepository {
  constructor(private readonly dataSource: DataSource) {}

  async search(f: SearchFilter): Promise<{ items: ArchivalRecord[]; more: boolean }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.fonds !== '*') where.push(`"fonds_code" = ANY(${p(f.fonds)}::text[])`);
    if (f.q) {
      const terms = queryTerms(f.q);
      // Within one fonds the fonds term joins the title terms in the same GIN lookup.
      if (terms.length && f.fonds !== '*' && f.fonds.length === 1)
        terms.push(fondsTerm(f.fonds[0]!));
      if (terms.length) where.push(`"title_terms" @> ${p(terms)}::text[]`);
      // Bigrams can match across a phrase; each typed word must also appear as written.
      for (const piece of f.q.split(/\s+/).filter(Boolean)) {
        where.push(`"title" ILIKE ${p(`%${escapeLike(piece)}%`)}`);
      }
    }
    if (f.documentNumber) where.push(`"document_number" = ${p(f.documentNumber)}`);
    if (f.creator) where.push(`"creator" = ${p(f.creator)}`);
    if (f.year !== undefined) where.push(`"year" = ${p(f.year)}`);
    if (f.dateFrom) where.push(`"document_date" >= ${p(f.dateFrom)}::date`);
    if (f.dateTo) where.push(`"document_date" <= ${p(f.dateTo)}::date`);
    if (f.retention) where.push(`"retention" = ${p(f.retention)}`);
    if (!f.includeDisposed) where.push(`"disposed_at" IS NULL`);

    const sql = `SELECT ${RECORD_COLUMNS} FROM "e_archive"."record"
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY "fonds_code", "year" DESC, "archival_code"
      LIMIT ${p(f.limit + 1)} OFFSET ${p(f.offset)}`;
    const rows = (await this.dataSource.query(sql, params)) as RecordRow[];
    return { items: rows.slice(0, f.limit).map(toArchivalRecord), more: rows.length > f.limit };
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
