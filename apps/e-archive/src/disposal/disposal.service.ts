import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { getLogger } from '#common';
import type { Caller } from '#auth';
import { AuditLog } from '#audit';
import { retentionExpiry } from '../archival-code.js';
import { ArchiveAuditAction, recordSubject } from '../audit-trail/audit-actions.js';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';
import { permittedFonds, requireFonds } from '../fonds-access.js';
import type { ArchivalRecord } from '../records/archival-record.js';
import { RecordsRepository, isUniqueViolation } from '../records/records.repository.js';
import { BLOB_STORE, type BlobStore } from '../storage/blob-store.js';
import { DisposalRepository, type Disposal } from './disposal.repository.js';

/**
 * Disposal (销毁) of records past their retention: one archivist proposes, a different one
 * approves (four eyes, DA/T 22-2015 and the 档案鉴定 practice of a destruction list signed by
 * more than one person). Approval deletes the object; the record row stays as the tombstone.
 */
@Injectable()
export class DisposalService {
  private readonly log = getLogger('disposal');

  constructor(
    private readonly disposals: DisposalRepository,
    private readonly records: RecordsRepository,
    private readonly audit: AuditLog,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  candidates(caller: Caller, fondsCode?: string, now = new Date()): Promise<ArchivalRecord[]> {
    let fonds = permittedFonds(caller, 'archive:dispose');
    if (fondsCode) {
      requireFonds(caller, 'archive:dispose', fondsCode);
      fonds = [fondsCode];
    }
    return this.disposals.expired(fonds, now.getUTCFullYear(), 500);
  }

  async propose(caller: Caller, recordId: string, reason: string, now = new Date()) {
    const record = await this.loadRecord(recordId);
    requireFonds(caller, 'archive:dispose', record.fondsCode);
    const expiry = retentionExpiry(record.year, record.retention);
    if (record.disposedAt) {
      throw new ArchiveError(ArchiveErrorCode.RecordDisposed, 410, 'Already disposed of');
    }
    if (!expiry || expiry > now) {
      throw new ArchiveError(
        ArchiveErrorCode.RetentionNotExpired,
        409,
        'The retention period has not run out',
        { retention: record.retention, expires: expiry?.toISOString().slice(0, 10) ?? null },
      );
    }
    const id = randomUUID();
    try {
      await this.disposals.transaction(async (tx) => {
        await this.disposals.insert(tx, { id, recordId, reason, proposedBy: caller.sub });
        await this.audit.append(
          {
            action: ArchiveAuditAction.DisposalProposed,
            actor: caller.sub,
            subject: recordSubject(recordId),
            details: { disposalId: id, archivalCode: record.archivalCode, reason },
          },
          tx,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ArchiveError(
          ArchiveErrorCode.DisposalPending,
          409,
          'A disposal of this record is already proposed',
        );
      }
      throw e;
    }
    return (await this.disposals.find(id))!;
  }

  async decide(caller: Caller, id: string, approve: boolean): Promise<Disposal> {
    const pending = await this.disposals.find(id);
    if (!pending)
      throw new ArchiveError(ArchiveErrorCode.DisposalNotFound, 404, 'No such disposal');
    const record = await this.loadRecord(pending.recordId);
    requireFonds(caller, 'archive:dispose', record.fondsCode);

    const decided = await this.disposals.transaction(async (tx) => {
      const d = (await this.disposals.find(id, tx, true))!;
      if (d.status !== 'proposed') {
        throw new ArchiveError(ArchiveErrorCode.DisposalAlreadyDecided, 409, `Already ${d.status}`);
      }
      // Four eyes: whoever proposed may not also decide.
      if (d.proposedBy === caller.sub) {
        throw new ArchiveError(
          ArchiveErrorCode.DisposalSameArchivist,
          403,
          'A disposal needs a second archivist: the proposer cannot decide it',
        );
      }
      const tombstone = approve
        ? {
            archivalCode: record.archivalCode,
            title: record.title,
            sha256: record.sha256,
            sm3: record.sm3,
            proposedBy: d.proposedBy,
            approvedBy: caller.sub,
            disposedAt: new Date().toISOString(),
          }
        : null;
      await this.disposals.decide(tx, id, approve ? 'approved' : 'rejected', caller.sub, tombstone);
      if (approve) await this.disposals.markDisposed(tx, record.id);
      await this.audit.append(
        {
          action: approve
            ? ArchiveAuditAction.DisposalApproved
            : ArchiveAuditAction.DisposalRejected,
          actor: caller.sub,
          subject: recordSubject(record.id),
          details: { disposalId: id, archivalCode: record.archivalCode, proposedBy: d.proposedBy },
        },
        tx,
      );
      return { live: approve ? await this.records.liveReferences(tx, record.sha256) : 1 };
    });

    // After commit: a crash here leaves an orphan object, listed by /v1/orphans.
    if (approve && decided.live === 0) {
      await this.blobs.delete(record.sha256);
      this.log.info({ recordId: record.id, disposalId: id }, 'record disposed of');
    }
    return (await this.disposals.find(id))!;
  }

  list(caller: Caller, status?: Disposal['status']): Promise<Disposal[]> {
    return this.disposals.list(permittedFonds(caller, 'archive:dispose'), status, 200);
  }

  private async loadRecord(id: string): Promise<ArchivalRecord> {
    const record = await this.records.findById(id);
    if (!record) throw new ArchiveError(ArchiveErrorCode.RecordNotFound, 404, 'No such record');
    return record;
  }
}
