import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  RECORD_COLUMNS,
  toArchivalRecord,
  type ArchivalRecord,
  type RecordRow,
} from '../records/archival-record.js';

export type DisposalStatus = 'proposed' | 'approved' | 'rejected';

export interface Disposal {
  id: string;
  recordId: string;
  status: DisposalStatus;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  tombstone: Record<string, unknown> | null;
}

interface DisposalRow {
  id: string;
  record_id: string;
  status: DisposalStatus;
  reason: string;
  proposed_by: string;
  proposed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  tombstone: Record<string, unknown> | null;
}

const toDisposal = (r: DisposalRow): Disposal => ({
  id: r.id,
  recordId: r.record_id,
  status: r.status,
  reason: r.reason,
  proposedBy: r.proposed_by,
  proposedAt: new Date(r.proposed_at).toISOString(),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  tombstone: r.tombstone,
});

/** Disposal proposals and decisions (鉴定销毁), and the expired-records list. */
@Injectable()
export class DisposalRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Live records whose retention has run out by `year` (DA/T 22-2015: counted from 1 January
   * after the record's year; permanent records never).
   */
  async expired(fonds: string[] | '*', year: number, limit: number): Promise<ArchivalRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${RECORD_COLUMNS} FROM "e_archive"."record"
        WHERE "disposed_at" IS NULL
          AND (($1::text[] IS NULL) OR "fonds_code" = ANY($1::text[]))
          AND (("retention" = 'D10' AND "year" + 11 <= $2) OR ("retention" = 'D30' AND "year" + 31 <= $2))
        ORDER BY "archival_code" LIMIT $3`,
      [fonds === '*' ? null : fonds, year, limit],
    )) as RecordRow[];
    return rows.map(toArchivalRecord);
  }

  async insert(
    tx: EntityManager,
    d: { id: string; recordId: string; reason: string; proposedBy: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO "e_archive"."disposal" ("id","record_id","status","reason","proposed_by","proposed_at")
       VALUES ($1,$2,'proposed',$3,$4,now())`,
      [d.id, d.recordId, d.reason, d.proposedBy],
    );
  }

  async find(id: string, tx?: EntityManager, lock = false): Promise<Disposal | undefined> {
    const rows = (await (tx ?? this.dataSource).query(
      `SELECT * FROM "e_archive"."disposal" WHERE "id" = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    )) as DisposalRow[];
    return rows[0] && toDisposal(rows[0]);
  }

  async list(
    fonds: string[] | '*',
    status: DisposalStatus | undefined,
    limit: number,
  ): Promise<Disposal[]> {
    const rows = (await this.dataSource.query(
      `SELECT d.* FROM "e_archive"."disposal" d
         JOIN "e_archive"."record" r ON r."id" = d."record_id"
        WHERE ($1::text IS NULL OR d."status" = $1)
          AND ($2::text[] IS NULL OR r."fonds_code" = ANY($2::text[]))
        ORDER BY d."proposed_at" DESC LIMIT $3`,
      [status ?? null, fonds === '*' ? null : fonds, limit],
    )) as DisposalRow[];
    return rows.map(toDisposal);
  }

  async decide(
    tx: EntityManager,
    id: string,
    status: 'approved' | 'rejected',
    decidedBy: string,
    tombstone: Record<string, unknown> | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE "e_archive"."disposal" SET "status" = $2, "decided_by" = $3, "decided_at" = now(),
         "tombstone" = $4 WHERE "id" = $1`,
      [id, status, decidedBy, tombstone ? JSON.stringify(tombstone) : null],
    );
  }

  /** The record stays as its own tombstone: code, title, digests; only the object goes. */
  async markDisposed(tx: EntityManager, recordId: string): Promise<void> {
    await tx.query(`UPDATE "e_archive"."record" SET "disposed_at" = now() WHERE "id" = $1`, [
      recordId,
    ]);
  }
}
