import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { FourPropertiesReport } from '../four-properties/four-properties-report.js';
import type { RecordMetadata } from './record-metadata.js';
import {
  RECORD_COLUMNS,
  toArchivalRecord,
  type ArchivalRecord,
  type RecordRow,
} from './archival-record.js';

export interface ItemGroupState {
  lastItem: number;
  count: number;
  maxItem: number;
}

export interface NewRecord {
  id: string;
  archivalCode: string;
  item: number;
  metadata: RecordMetadata;
  titleTerms: string[];
  sha256: string;
  sm3: string;
  size: number;
  mediaType: string;
  report: FourPropertiesReport;
  ingestedBy: string;
  at: Date;
}

const T = '"e_archive"."record"';

/** The only code that reads and writes the record and item_counter tables. */
@Injectable()
export class RecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async findBySource(
    system: string,
    sourceId: string,
    tx?: EntityManager,
  ): Promise<ArchivalRecord | undefined> {
    const rows = (await (tx ?? this.dataSource).query(
      `SELECT ${RECORD_COLUMNS} FROM ${T} WHERE "source_system" = $1 AND "source_id" = $2`,
      [system, sourceId],
    )) as RecordRow[];
    return rows[0] && toArchivalRecord(rows[0]);
  }

  async findById(id: string, tx?: EntityManager): Promise<ArchivalRecord | undefined> {
    const rows = (await (tx ?? this.dataSource).query(
      `SELECT ${RECORD_COLUMNS} FROM ${T} WHERE "id" = $1`,
      [id],
    )) as RecordRow[];
    return rows[0] && toArchivalRecord(rows[0]);
  }

  async findReport(id: string, tx?: EntityManager): Promise<FourPropertiesReport | undefined> {
    const rows = (await (tx ?? this.dataSource).query(`SELECT "report" FROM ${T} WHERE "id" = $1`, [
      id,
    ])) as { report: FourPropertiesReport }[];
    return rows[0]?.report;
  }

  /**
   * Locks the item counter of a (fonds, category, year, retention, organisation) group for the
   * rest of the transaction (DA/T 13: item numbers without gaps or duplicates) and reads how
   * the group stands.
   */
  async lockItemGroup(tx: EntityManager, m: RecordMetadata): Promise<ItemGroupState> {
    const key = [m.fondsCode, m.category, m.year, m.retention, m.organisation];
    await tx.query(
      `INSERT INTO "e_archive"."item_counter"
         ("fonds_code","category","year","retention","organisation","last_item")
       VALUES ($1,$2,$3,$4,$5,0) ON CONFLICT DO NOTHING`,
      key,
    );
    const [counter] = (await tx.query(
      `SELECT "last_item" FROM "e_archive"."item_counter"
        WHERE "fonds_code"=$1 AND "category"=$2 AND "year"=$3 AND "retention"=$4
          AND "organisation"=$5 FOR UPDATE`,
      key,
    )) as { last_item: number }[];
    const [group] = (await tx.query(
      `SELECT count(*)::int AS "count", coalesce(max("item"), 0)::int AS "max" FROM ${T}
        WHERE "fonds_code"=$1 AND "category"=$2 AND "year"=$3 AND "retention"=$4
          AND "organisation"=$5`,
      key,
    )) as { count: number; max: number }[];
    return { lastItem: counter!.last_item, count: group!.count, maxItem: group!.max };
  }

  async insert(tx: EntityManager, r: NewRecord): Promise<void> {
    const m = r.metadata;
    await tx.query(
      `INSERT INTO ${T} ("id","archival_code","fonds_code","category","year","retention",
         "organisation","item","title","title_terms","document_number","creator","document_date",
         "page_count","openness","source_system","source_id","sha256","sm3","size","media_type",
         "report","ingested_by","ingested_at")
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,
         $23,$24)`,
      [
        r.id,
        r.archivalCode,
        m.fondsCode,
        m.category,
        m.year,
        m.retention,
        m.organisation,
        r.item,
        m.title,
        r.titleTerms,
        m.documentNumber ?? null,
        m.creator,
        m.date,
        m.pageCount,
        m.openness,
        m.sourceSystem,
        m.sourceId,
        r.sha256,
        r.sm3,
        r.size,
        r.mediaType,
        JSON.stringify(r.report),
        r.ingestedBy,
        r.at.toISOString(),
      ],
    );
    await tx.query(
      `UPDATE "e_archive"."item_counter" SET "last_item" = $6
        WHERE "fonds_code"=$1 AND "category"=$2 AND "year"=$3 AND "retention"=$4
          AND "organisation"=$5`,
      [m.fondsCode, m.category, m.year, m.retention, m.organisation, r.item],
    );
  }

  /** How many live records still point at a blob (content-addressed blobs can be shared). */
  async liveReferences(tx: EntityManager, sha256: string): Promise<number> {
    const [row] = (await tx.query(
      `SELECT count(*)::int AS "n" FROM ${T} WHERE "sha256" = $1 AND "disposed_at" IS NULL`,
      [sha256],
    )) as { n: number }[];
    return row!.n;
  }
}

/** PostgreSQL's unique_violation. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err.code === '23505' || err.driverError?.code === '23505';
}
