import { auditLogMigration } from '#audit';
import { Init1764790000000 } from './1764790000000-init.js';
import { IdentityTables1764790100000 } from './1764790100000-identity-tables.js';
import { BackchannelAttempts1764790200000 } from './1764790200000-backchannel-attempts.js';
import { LegalRepresentative1764790300000 } from './1764790300000-legal-representative.js';

/** Every migration of the identity schema, oldest first. */
export const migrations = [
  Init1764790000000,
  auditLogMigration('identity'),
  IdentityTables1764790100000,
  BackchannelAttempts1764790200000,
  LegalRepresentative1764790300000,
];
