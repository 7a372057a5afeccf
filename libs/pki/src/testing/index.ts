export * from './openssl.js';
export * from './test-pki.js';
