import type { MetadataReading } from '../records/record-metadata.js';
import type { SealVerification } from './e-seal-verification.client.js';
import type { PdfInspection } from './pdf-inspection.js';
import type { VirusScanResult } from './clamd-client.js';

/** Everything known about a submitted item before it is stored: the input of the checks. */
export interface IngestCandidate {
  bytes: Buffer;
  mediaType: string;
  reading: MetadataReading;
  sha256: string;
  inspection: PdfInspection;
  /** Undefined when the file has no signatures, or could not be opened. */
  seals?: SealVerification;
  /** Undefined when clamd is not configured. */
  virusScan?: VirusScanResult;
  /** The PDF versions accepted for keeping. */
  allowedVersions: string[];
}
