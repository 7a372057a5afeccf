// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata
// polyfill loaded first; every module of this library imports x509 from here for that reason.
import 'reflect-metadata';

export * as x509 from '@peculiar/x509';
