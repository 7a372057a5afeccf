export * from './division-code.js';
export * from './resident-id.js';
export * from './uscc.js';
