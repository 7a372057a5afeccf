import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '#auth';
import { AuditLog } from '#audit';
import { ArchiveAuditAction } from '../audit-trail/audit-actions.js';
import { AccessLogRepository, type AccessEntry } from './access-log.repository.js';

const AUDIT_ACTION: Record<AccessEntry['action'], ArchiveAuditAction> = {
  search: ArchiveAuditAction.Search,
  metadata: ArchiveAuditAction.ReadMetadata,
  report: ArchiveAuditAction.ReadReport,
  download: ArchiveAuditAction.Download,
  export: ArchiveAuditAction.Export,
};

/**
 * Writes one use of the archive to the access log (利用登记) and to the hash-chained audit
 * log in one transaction, before anything is answered: no use without its record.
 */
@Injectable()
export class AccessRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accessLog: AccessLogRepository,
    private readonly audit: AuditLog,
  ) {}

  async record(
    caller: Caller,
    entry: Omit<AccessEntry, 'actor' | 'clientId'>,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    const full: AccessEntry = { ...entry, actor: caller.sub, clientId: caller.clientId };
    await this.dataSource.transaction(async (tx) => {
      // A search is logged without waiting for the WAL flush (the entry and its chain link
      // still commit together, in order); reads of records and downloads wait for it.
      if (entry.action === 'search') await tx.query('SET LOCAL synchronous_commit = off');
      await this.accessLog.add(tx, full);
      await this.audit.append(
        {
          action: AUDIT_ACTION[entry.action],
          actor: caller.sub,
          subject: entry.recordId ? `record:${entry.recordId}` : `fonds:${entry.fondsCode ?? '*'}`,
          details: {
            clientId: caller.clientId,
            purpose: entry.purpose,
            query: entry.query,
            ...details,
          },
        },
        tx,
      );
    });
  }
}
