import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { getLogger } from '#common';
import type { Caller } from '#auth';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';
import { requireFonds, searchFonds } from '../fonds-access.js';
import type { FourPropertiesReport } from '../four-properties/four-properties-report.js';
import type { ArchivalRecord } from '../records/archival-record.js';
import { RecordsRepository } from '../records/records.repository.js';
import { BLOB_STORE, BlobNotFound, type BlobStore } from '../storage/blob-store.js';
import { AccessLogRepository } from './access-log.repository.js';
import { AccessRecorder } from './access-recorder.js';
import { requirePurpose } from './purpose.js';
import { SearchRepository } from './search.repository.js';
import type { SearchQuery } from './search-query.dto.js';

/** 利用: search, metadata, report and download, each use logged with its purpose. */
@Injectable()
export class RetrievalService {
  private readonly log = getLogger('retrieval');

  constructor(
    private readonly records: RecordsRepository,
    private readonly searchRepo: SearchRepository,
    private readonly access: AccessRecorder,
    private readonly accessLog: AccessLogRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async search(caller: Caller, q: SearchQuery) {
    const purpose = requirePurpose(q.purpose, 'search');
    const fonds = searchFonds(caller, q.fondsCode);
    if (fonds !== '*' && fonds.length === 0) return { items: [], nextOffset: null };
    const limit = q.limit ?? 20;
    const offset = q.offset ?? 0;
    const { items, more } = await this.searchRepo.search({
      fonds,
      q: q.q,
      documentNumber: q.documentNumber,
      creator: q.creator,
      year: q.year,
      dateFrom: q.dateFrom,
      dateTo: q.dateTo,
      retention: q.retention,
      includeDisposed: q.includeDisposed === 'true',
      limit,
      offset,
    });
    const { purpose: _stated, ...query } = q;
    await this.access.record(
      caller,
      { action: 'search', fondsCode: q.fondsCode, purpose, query: { ...query } },
      { results: items.length },
    );
    return { items, nextOffset: more ? offset + limit : null };
  }

  async metadata(caller: Caller, id: string, stated?: string): Promise<ArchivalRecord> {
    const purpose = requirePurpose(stated, 'metadata');
    const record = await this.readable(caller, id);
    await this.access.record(caller, {
      action: 'metadata',
      recordId: id,
      fondsCode: record.fondsCode,
      purpose,
    });
    return record;
  }

  async report(caller: Caller, id: string, stated?: string): Promise<FourPropertiesReport> {
    const purpose = requirePurpose(stated, 'report');
    const record = await this.readable(caller, id);
    await this.access.record(caller, {
      action: 'report',
      recordId: id,
      fondsCode: record.fondsCode,
      purpose,
    });
    return (await this.records.findReport(id))!;
  }

  /**
   * The original bytes, checked against the recorded SHA-256 before they are sent: a changed
   * object is served to no one (and the next fixity run records it).
   */
  async download(caller: Caller, id: string, stated: string | undefined) {
    const purpose = requirePurpose(stated, 'download');
    const record = await this.readable(caller, id);
    if (record.disposedAt) {
      throw new ArchiveError(ArchiveErrorCode.RecordDisposed, 410, 'The record was disposed of', {
        archivalCode: record.archivalCode,
      });
    }
    const bytes = await this.readObject(record);
    await this.access.record(
      caller,
      { action: 'download', recordId: id, fondsCode: record.fondsCode, purpose },
      { sha256: record.sha256 },
    );
    return { record, bytes };
  }

  async accessHistory(caller: Caller, id: string) {
    await this.readable(caller, id);
    return this.accessLog.forRecord(id);
  }

  /** The record if it exists and the caller may read its fonds (404 before 403 hides nothing). */
  async readable(caller: Caller, id: string): Promise<ArchivalRecord> {
    const record = /^[0-9a-f-]{36}$/.test(id) ? await this.records.findById(id) : undefined;
    if (!record) {
      throw new ArchiveError(ArchiveErrorCode.RecordNotFound, 404, 'No such record');
    }
    requireFonds(caller, 'archive:read', record.fondsCode);
    return record;
  }

  async readObject(record: ArchivalRecord): Promise<Buffer> {
    let bytes: Buffer;
    try {
      const chunks: Buffer[] = [];
      for await (const c of await this.blobs.open(record.sha256)) chunks.push(c as Buffer);
      bytes = Buffer.concat(chunks);
    } catch (e) {
      if (!(e instanceof BlobNotFound)) throw e;
      this.log.error({ recordId: record.id }, 'archived object missing');
      throw new ArchiveError(ArchiveErrorCode.BlobMissing, 500, 'The archived object is missing');
    }
    if (createHash('sha256').update(bytes).digest('hex') !== record.sha256) {
      this.log.error({ recordId: record.id }, 'archived object changed');
      throw new ArchiveError(
        ArchiveErrorCode.BlobCorrupted,
        500,
        'The archived object does not match its recorded SHA-256',
      );
    }
    return bytes;
  }
}
