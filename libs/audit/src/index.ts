export * from './chain-hash.js';
export * from './audit-log.js';
export * from './audit-log.migration.js';
export * from './audit.module.js';
