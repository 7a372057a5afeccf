import { ArchiveError, ArchiveErrorCode } from '../errors.js';

/** The uses of the archive (利用), each registered with its purpose. */
export type ArchiveUse = 'search' | 'metadata' | 'report' | 'download' | 'export';

/**
 * 利用登记: every use of an archival record is registered with who, when, how and why; a use
 * with no stated purpose (利用目的) is refused before anything is looked up, so that no record
 * is read, nor its existence shown, without one.
 */
/** Each use as the subject of the refusal's title. */
const USE_PHRASE: Record<ArchiveUse, string> = {
  search: 'A search',
  metadata: "Reading a record's metadata",
  report: "Reading a record's four-properties report",
  download: 'A download',
  export: 'An export',
};

export function requirePurpose(purpose: string | undefined, use: ArchiveUse): string {
  const stated = purpose?.trim();
  if (!stated) {
    throw new ArchiveError(
      ArchiveErrorCode.PurposeRequired,
      400,
      `${USE_PHRASE[use]} needs the purpose of use (利用目的): purpose=...`,
      { use },
    );
  }
  return stated;
}
