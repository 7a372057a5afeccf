export * from './auth-error.js';
export * from './caller.js';
export * from './jwt-bearer.strategy.js';
export * from './decorators.js';
export * from './auth.module.js';
export * from './service-token-client.js';
export * from './testing/test-token-issuer.js';
