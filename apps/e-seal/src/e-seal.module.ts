import { Module } from '@nestjs/common';
import { AuditModule } from '#audit';
import { AuthModule } from '#auth';
import { DatabaseModule } from '#database';
import { loadSealConfig, SEAL_CONFIG } from './config/seal-variables.js';
import { DemoSealsBootstrap } from './demo/demo-seals.bootstrap.js';
import { migrations } from './migrations/index.js';
import { CrlStateEntity } from './pki/crl-state.entity.js';
import { CrlService } from './pki/crl.service.js';
import { KeyRecordEntity } from './pki/key-record.entity.js';
import { KeyRecordRepository } from './pki/key-record.repository.js';
import { PkiController } from './pki/pki.controller.js';
import { PlatformCredentialEntity } from './pki/platform-credential.entity.js';
import { PlatformCredentialRepository } from './pki/platform-credential.repository.js';
import { PlatformPkiService } from './pki/platform-pki.service.js';
import { SealAppearanceCache } from './sealing/appearance-cache.js';
import { SealingController } from './sealing/sealing.controller.js';
import { SealingService } from './sealing/sealing.service.js';
import { SealUsageEntity } from './sealing/usage.entity.js';
import { SealUsageRepository } from './sealing/usage.repository.js';
import { SealCertificateService } from './seals/seal-certificate.service.js';
import { SealLifecycleService } from './seals/seal-lifecycle.service.js';
import { SealRegistryService } from './seals/seal-registry.service.js';
import { SealEntity, SealEventEntity } from './seals/seal.entity.js';
import { SealRepository } from './seals/seal.repository.js';
import { SealsController } from './seals/seals.controller.js';
import { VerificationRateLimiter } from './verification/rate-limiter.js';
import { VerificationController } from './verification/verification.controller.js';
import { VerificationService } from './verification/verification.service.js';
import { VerifyPageController } from './verification/verify-page.controller.js';

const entities = [
  KeyRecordEntity,
  PlatformCredentialEntity,
  CrlStateEntity,
  SealEntity,
  SealEventEntity,
  SealUsageEntity,
];

@Module({
  imports: [
    DatabaseModule.forService({ schema: 'e_seal', entities, migrations }),
    AuditModule,
    AuthModule.forResource('e-seal'),
  ],
  controllers: [
    PkiController,
    SealsController,
    SealingController,
    VerificationController,
    VerifyPageController,
  ],
  providers: [
    { provide: SEAL_CONFIG, useFactory: () => loadSealConfig() },
    KeyRecordRepository,
    PlatformCredentialRepository,
    PlatformPkiService,
    CrlService,
    SealRepository,
    SealCertificateService,
    SealRegistryService,
    SealLifecycleService,
    SealUsageRepository,
    SealingService,
    SealAppearanceCache,
    VerificationService,
    VerificationRateLimiter,
    DemoSealsBootstrap,
  ],
})
export class ESealModule {}
