import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type AccessAction = 'search' | 'metadata' | 'report' | 'download' | 'export';

export interface AccessEntry {
  actor: string;
  clientId: string;
  action: AccessAction;
  recordId?: string;
  fondsCode?: string;
  purpose?: string;
  query?: Record<string, unknown>;
}

/** 利用登记: who used which record, when, how and for what purpose. */
@Injectable()
export class AccessLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(tx: EntityManager, e: AccessEntry): Promise<void> {
    await tx.query(
      `INSERT INTO "e_archive"."access_log"
         ("at","actor","client_id","action","record_id","fonds_code","purpose","query")
       VALUES (now(),$1,$2,$3,$4,$5,$6,$7)`,
      [
        e.actor,
        e.clientId,
        e.action,
        e.recordId ?? null,
        e.fondsCode ?? null,
        e.purpose ?? null,
        e.query ? JSON.stringify(e.query) : null,
      ],
    );
  }

  async forRecord(recordId: string, limit = 200): Promise<Record<string, unknown>[]> {
    return (await this.dataSource.query(
      `SELECT "at","actor","client_id" AS "clientId","action","purpose"
         FROM "e_archive"."access_log" WHERE "record_id" = $1 ORDER BY "id" DESC LIMIT $2`,
      [recordId, limit],
    )) as Record<string, unknown>[];
  }
}
