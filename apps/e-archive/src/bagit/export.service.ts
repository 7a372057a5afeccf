import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '#auth';
import { ARCHIVE_CONFIG, type ArchiveConfig } from '../config/archive-variables.js';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';
import { requirePurpose } from '../retrieval/purpose.js';
import { RecordsRepository } from '../records/records.repository.js';
import { AccessRecorder } from '../retrieval/access-recorder.js';
import { RetrievalService } from '../retrieval/retrieval.service.js';
import { writeBag, type BagItem } from './bag-writer.js';

/**
 * Export (移交, 出库) of selected records as a BagIt bag (RFC 8493) in a tar stream. Every
 * record must be readable by the caller and not disposed of; the export is logged first.
 */
@Injectable()
export class ExportService {
  constructor(
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
    private readonly retrieval: RetrievalService,
    private readonly records: RecordsRepository,
    private readonly access: AccessRecorder,
  ) {}

  async export(caller: Caller, recordIds: string[], stated: string | undefined) {
    const purpose = requirePurpose(stated, 'export');
    if (recordIds.length > this.config.ARCHIVE_EXPORT_MAX_RECORDS) {
      throw new ArchiveError(
        ArchiveErrorCode.ExportTooLarge,
        400,
        `At most ${this.config.ARCHIVE_EXPORT_MAX_RECORDS} records per export`,
      );
    }
    const items: BagItem[] = [];
    for (const id of recordIds) {
      const record = await this.retrieval.readable(caller, id);
      if (record.disposedAt) {
        throw new ArchiveError(ArchiveErrorCode.RecordDisposed, 410, 'A record was disposed of', {
          recordId: id,
        });
      }
      const report = (await this.records.findReport(id))!;
      items.push({ record, report, load: () => this.retrieval.readObject(record) });
    }

    const exportId = randomUUID();
    await this.access.record(
      caller,
      { action: 'export', purpose, query: { exportId, recordIds } },
      { exportId, archivalCodes: items.map((i) => i.record.archivalCode) },
    );
    const bagName = `bag-${exportId}`;
    const stream = Readable.from(
      writeBag(items, {
        bagName,
        sourceOrganization: [...new Set(items.map((i) => i.record.fondsCode))].join(', '),
        externalIdentifier: exportId,
        description: `${items.length} records exported by ${caller.sub}: ${purpose}`,
      }),
    );
    return { bagName, stream };
  }
}
