export * from './database.module.js';
export * from './database-url.js';
export * from './embedded/embedded-database.js';
export * from './testing/test-database.js';
export * from './pooled-sql.js';
