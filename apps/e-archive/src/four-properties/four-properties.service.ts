import { Inject, Injectable } from '@nestjs/common';
import { getLogger } from '#common';
import { ARCHIVE_CONFIG, type ArchiveConfig } from '../config/archive-variables.js';
import { ArchiveError, ArchiveErrorCode } from '../errors.js';
import type { MetadataReading } from '../records/record-metadata.js';
import { checkAuthenticity } from './authenticity.js';
import { scanWithClamd } from './clamd-client.js';
import { ESealVerificationClient } from './e-seal-verification.client.js';
import { buildReport, type FourPropertiesReport } from './four-properties-report.js';
import type { IngestCandidate } from './ingest-candidate.js';
import { checkIntegrity } from './integrity.js';
import { inspectPdf } from './pdf-inspection.js';
import { checkSecurity } from './security.js';
import { checkUsability } from './usability.js';

/**
 * The DA/T 70-2018 four-properties check of one submitted item. Gathers the facts first
 * (digests, the PDF's structure, e-seal's verification, the virus scan), then runs each named
 * check over them. No database transaction is open while this runs (it calls e-seal).
 */
@Injectable()
export class FourPropertiesService {
  private readonly allowedVersions: string[];
  private readonly log = getLogger('four-properties');

  constructor(
    @Inject(ARCHIVE_CONFIG) private readonly config: ArchiveConfig,
    private readonly eSeal: ESealVerificationClient,
  ) {
    this.allowedVersions = config.ARCHIVE_FORMATS.split(',').map((v) => v.trim());
  }

  async examine(
    bytes: Buffer,
    mediaType: string,
    reading: MetadataReading,
    sha256: string,
  ): Promise<{ candidate: IngestCandidate; report: FourPropertiesReport }> {
    const inspection = inspectPdf(bytes);
    const readable = !inspection.openError && !inspection.encrypted;
    const [seals, virusScan] = await Promise.all([
      readable && inspection.signatureCount > 0 ? this.eSeal.verify(bytes) : undefined,
      this.config.CLAMD_HOST
        ? scanWithClamd(
            this.config.CLAMD_HOST,
            this.config.CLAMD_PORT,
            bytes,
            this.config.CLAMD_TIMEOUT_MS,
          )
        : undefined,
    ]);
    if (virusScan?.outcome === 'unavailable') {
      // Fail closed: a configured scanner that cannot answer must not let the item through
      // unscanned, and its silence says nothing about the file, so the sender is told to retry.
      this.log.error({ reason: virusScan.message }, 'clamd unavailable; ingest refused');
      throw new ArchiveError(
        ArchiveErrorCode.VirusScanUnavailable,
        503,
        'The virus scanner (clamd) did not answer; nothing was stored, try again',
      );
    }
    const candidate: IngestCandidate = {
      bytes,
      mediaType,
      reading,
      sha256,
      inspection,
      seals,
      virusScan,
      allowedVersions: this.allowedVersions,
    };
    const report = buildReport([
      ...checkAuthenticity(candidate),
      ...checkIntegrity(candidate),
      ...checkUsability(candidate),
      ...checkSecurity(candidate),
    ]);
    return { candidate, report };
  }
}
