import { auditLogMigration } from '#audit';
import { Init1764790000000 } from './1764790000000-init.js';
import { SealRegistry1764791000000 } from './1764791000000-seal-registry.js';

/** Every migration of the e_seal schema, oldest first. */
export const migrations = [
  Init1764790000000,
  auditLogMigration('e_seal'),
  SealRegistry1764791000000,
];
