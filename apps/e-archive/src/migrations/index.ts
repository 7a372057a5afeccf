import { auditLogMigration } from '#audit';
import { Init1764790000000 } from './1764790000000-init.js';
import { ArchiveTables1764790600000 } from './1764790600000-archive-tables.js';

/** Every migration of the e_archive schema, oldest first. */
export const migrations = [
  Init1764790000000,
  auditLogMigration('e_archive'),
  ArchiveTables1764790600000,
];
