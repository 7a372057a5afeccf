import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.js';

/** Provides AuditLog over the service's own data source (import after DatabaseModule). */
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
