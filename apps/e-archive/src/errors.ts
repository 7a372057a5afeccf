import { DomainError } from '#common';

/** Stable codes of every refusal of the e-archive service. */
export enum ArchiveErrorCode {
  /** DA/T 70: one of the four-properties checks failed; the report is in `report`. */
  FourPropertiesFailed = 'FourPropertiesFailed',
  MetadataUnreadable = 'ArchiveMetadataUnreadable',
  FileMissing = 'ArchiveFileMissing',
  /** The same source id was submitted before with a different file. */
  SourceIdConflict = 'ArchiveSourceIdConflict',
  /** The metadata's sourceSystem is neither the caller's client_id nor granted to it. */
  SourceSystemNotPermitted = 'ArchiveSourceSystemNotPermitted',
  RecordNotFound = 'ArchiveRecordNotFound',
  RecordDisposed = 'ArchiveRecordDisposed',
  BlobMissing = 'ArchiveBlobMissing',
  PurposeRequired = 'ArchivePurposeRequired',
  FondsNotPermitted = 'ArchiveFondsNotPermitted',
  RetentionNotExpired = 'ArchiveRetentionNotExpired',
  DisposalNotFound = 'ArchiveDisposalNotFound',
  DisposalAlreadyDecided = 'ArchiveDisposalAlreadyDecided',
  /** Disposal needs two different archivists: the proposer cannot approve. */
  DisposalSameArchivist = 'ArchiveDisposalSameArchivist',
  DisposalPending = 'ArchiveDisposalPending',
  ExportTooLarge = 'ArchiveExportTooLarge',
  SealVerificationUnavailable = 'ArchiveSealVerificationUnavailable',
  /** CLAMD_HOST is set but clamd did not answer: refused (fail closed), retry later. */
  VirusScanUnavailable = 'ArchiveVirusScanUnavailable',
  InvalidQuery = 'ArchiveInvalidQuery',
  /** The stored object no longer has its recorded SHA-256: served to no one, see fixity. */
  BlobCorrupted = 'ArchiveBlobCorrupted',
}

export class ArchiveError extends DomainError<ArchiveErrorCode> {}
