import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { getLogger } from '#common';
import { requireRole, type Caller } from '#auth';
import { AuditLog } from '#audit';
import { formatArchivalCode } from '../archival-code.js';
import { ArchiveAuditAction, recordSubject } from '../audit-trail/audit-actions.js';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';
import { addCheck, type FourPropertiesReport } from '../four-properties/four-properties-report.js';
import { FourPropertiesService } from '../four-properties/four-properties.service.js';
import { itemSequenceCheck } from '../four-properties/integrity.js';
import { fondsTerm, titleTerms } from '../retrieval/title-terms.js';
import { BLOB_STORE, type BlobStore } from '../storage/blob-store.js';
import type { UploadDigest } from '../storage/digesting-storage.js';
import { sha256Of } from '../storage/object-digest.js';
import { Sm3Digester } from '../storage/sm3-worker.js';
import type { ArchivalRecord } from './archival-record.js';
import { readRecordMetadata, type RecordMetadata } from './record-metadata.js';
import { isUniqueViolation, RecordsRepository } from './records.repository.js';
import { parseSourceGrants, requireSourceSystem, type SourceGrants } from './source-binding.js';
import { ARCHIVE_CONFIG, type ArchiveConfig } from '../config/archive-variables.js';

export interface IngestResult {
  created: boolean;
  record: ArchivalRecord;
  report: FourPropertiesReport;
}

/**
 * Ingest (DA/T 70 检测 then 归档): check the four properties, store the object, then in one
 * transaction take the next item number, insert the record and write the audit entry. The
 * blob is written before the transaction, so a crash leaves a complete record or none (an
 * orphan blob is harmless and listed by `orphans`).
 */
@Injectable()
export class IngestService {
  private readonly log = getLogger('ingest');
  private readonly sourceGrants: SourceGrants;

  constructor(
    @Inject(ARCHIVE_CONFIG) config: ArchiveConfig,
    private readonly records: RecordsRepository,
    private readonly fourProperties: FourPropertiesService,
    private readonly audit: AuditLog,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly sm3: Sm3Digester,
  ) {
    this.sourceGrants = parseSourceGrants(config.ARCHIVE_SOURCE_SYSTEMS);
  }

  /** `digest`: the file's digests when computed as it arrived (DigestingStorage). */
  async ingest(
    caller: Caller,
    file: Buffer,
    mediaType: string,
    rawMetadata: unknown,
    digest?: UploadDigest,
  ) {
    const reading = readRecordMetadata(rawMetadata);
    const sha256 = digest?.sha256 ?? sha256Of(file);

    // Idempotent per (source system, source id): the same submission returns the record.
    const m = reading.metadata;
    // A submitter ingests into the fonds it holds archive:ingest for (service clients: `*`).
    if (m) requireRole(caller, 'archive:ingest', m.fondsCode);
    // Before the repeat lookup: another system's source ids are not the caller's to query.
    if (m) requireSourceSystem(caller, m.sourceSystem, this.sourceGrants);
    if (m) {
      const existing = await this.existing(m, sha256);
      if (existing) return existing;
    }

    // SM3 is computed on a worker while the checks run and the object is written.
    const sm3 = digest?.sm3 ?? this.sm3.digest(file);
    sm3.catch(() => undefined);
    const { report } = await this.fourProperties.examine(file, mediaType, reading, sha256);
    if (!report.passed || !m) return this.refuse(caller, report, reading.metadata);

    await this.blobs.put(sha256, file);
    const digests = { sha256, sm3: await sm3 };
    try {
      return await this.store(caller, m, digests, file.length, mediaType, report);
    } catch (e) {
      // A concurrent submission of the same source id won the race: answer as a repeat.
      if (isUniqueViolation(e)) {
        const existing = await this.existing(m, digests.sha256);
        if (existing) return existing;
      }
      throw e;
    }
  }

  private async store(
    caller: Caller,
    m: RecordMetadata,
    digest: { sha256: string; sm3: string },
    size: number,
    mediaType: string,
    checked: FourPropertiesReport,
  ): Promise<IngestResult> {
    const id = randomUUID();
    const at = new Date();
    const outcome = await this.records.transaction(async (tx) => {
      const group = await this.records.lockItemGroup(tx, m);
      const item = group.lastItem + 1;
      const sequence = itemSequenceCheck(group.lastItem, group.count, group.maxItem, item);
      const report = addCheck(checked, sequence);
      if (!report.passed) return { stored: false, report };

      const archivalCode = formatArchivalCode({ ...m, item });
      await this.records.insert(tx, {
        id,
        archivalCode,
        item,
        metadata: m,
        titleTerms: [fondsTerm(m.fondsCode), ...titleTerms(m.title)],
        ...digest,
        size,
        mediaType,
        report,
        ingestedBy: caller.sub,
        at,
      });
      await this.audit.append(
        {
          action: ArchiveAuditAction.Ingest,
          actor: caller.sub,
          subject: recordSubject(id),
          details: {
            archivalCode,
            sha256: digest.sha256,
            sm3: digest.sm3,
            clientId: caller.clientId,
            sourceSystem: m.sourceSystem,
            sourceId: m.sourceId,
          },
        },
        tx,
      );
      return { stored: true, report, record: await this.records.findById(id, tx) };
    });
    if (!outcome.stored) return this.refuse(caller, outcome.report, m);

    const record = outcome.record!;
    this.log.info(
      { recordId: id, archivalCode: record.archivalCode, size, clientId: caller.clientId },
      'record ingested',
    );
    return { created: true, record, report: outcome.report };
  }

  private async existing(m: RecordMetadata, sha256: string): Promise<IngestResult | undefined> {
    // Read in a transaction: the embedded database keeps reads apart only inside one.
    // TODO(database): plain reads beside concurrent transactions get mixed answers there.
    const seen = await this.records.transaction(async (tx) => {
      const record = await this.records.findBySource(m.sourceSystem, m.sourceId, tx);
      return record && { record, report: (await this.records.findReport(record.id, tx))! };
    });
    if (!seen) return undefined;
    const found = seen.record;
    if (found.sha256 !== sha256) {
      throw new ArchiveError(
        ArchiveErrorCode.SourceIdConflict,
        409,
        'This source id was archived before with a different file',
        { archivalCode: found.archivalCode, recordId: found.id },
      );
    }
    return { created: false, record: found, report: seen.report };
  }

  private async refuse(
    caller: Caller,
    report: FourPropertiesReport,
    m: RecordMetadata | undefined,
  ): Promise<never> {
    // The refusal is an event too (who sent what, which checks failed); the item is not kept.
    await this.audit.append({
      action: ArchiveAuditAction.IngestRefused,
      actor: caller.sub,
      subject: m ? `source:${m.sourceSystem}:${m.sourceId}` : '',
      outcome: 'failure',
      details: { failed: report.failed, clientId: caller.clientId },
    });
    throw new ArchiveError(
      ArchiveErrorCode.FourPropertiesFailed,
      422,
      `The four-properties check failed: ${report.failed.join(', ')}`,
      { report },
    );
  }
}
