/** Actions e-archive writes to its hash-chained audit log (libs/audit). */
export enum ArchiveAuditAction {
  Ingest = 'archive.record.ingest',
  IngestRefused = 'archive.record.ingest-refused',
  Search = 'archive.search',
  ReadMetadata = 'archive.record.read',
  ReadReport = 'archive.record.read-report',
  Download = 'archive.record.download',
  Export = 'archive.export',
  FixityRun = 'archive.fixity.run',
  FixityFailure = 'archive.fixity.failure',
  DisposalProposed = 'archive.disposal.propose',
  DisposalApproved = 'archive.disposal.approve',
  DisposalRejected = 'archive.disposal.reject',
  ChainVerified = 'archive.audit.verify',
}

export const recordSubject = (id: string): string => `record:${id}`;
