import { auditLogMigration } from '#audit';
import { Init1764790000000 } from './1764790000000-init.js';
import { Licenses1764800000000 } from './1764800000000-licenses.js';
import { ArchiveOutboxDead1764900000000 } from './1764900000000-archive-outbox-dead.js';
import { UsageLogUnit1764910000000 } from './1764910000000-usage-log-unit.js';

/** Every migration of the e_license schema, oldest first. */
export const migrations = [
  Init1764790000000,
  auditLogMigration('e_license'),
  Licenses1764800000000,
  ArchiveOutboxDead1764900000000,
  UsageLogUnit1764910000000,
];
