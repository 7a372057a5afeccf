import { Module } from '@nestjs/common';
import { AuditModule } from '#audit';
import { AuthModule } from '#auth';
import { DatabaseModule } from '#database';
import { ArchiveOutboxController } from './archiving/archive-outbox.controller.js';
import { ArchiveOutboxEntity } from './archiving/archive-outbox.entity.js';
import { ArchiveOutboxRepository } from './archiving/archive-outbox.repository.js';
import { ArchiveOutboxWorker } from './archiving/archive-outbox.worker.js';
import { IssuingAuthorityController } from './authority/issuing-authority.controller.js';
import { IssuingAuthorityEntity } from './authority/issuing-authority.entity.js';
import { IssuingAuthorityRepository } from './authority/issuing-authority.repository.js';
import { IssuingAuthorityService } from './authority/issuing-authority.service.js';
import {
  SharedLicenseController,
  StandingPermissionController,
} from './business/shared-license.controller.js';
import { SharedLicenseService } from './business/shared-license.service.js';
import { StandingPermissionEntity } from './business/standing-permission.entity.js';
import { LicenseTypeController } from './catalogue/license-type.controller.js';
import { LicenseTypeEntity } from './catalogue/license-type.entity.js';
import { LicenseTypeRepository } from './catalogue/license-type.repository.js';
import { LicenseTypeService } from './catalogue/license-type.service.js';
import { AnnotatedCopyEntity } from './copies/annotated-copy.entity.js';
import { AnnotatedCopyRepository } from './copies/annotated-copy.repository.js';
import { AnnotatedCopyService } from './copies/annotated-copy.service.js';
import { E_LICENSE_CONFIG, loadELicenseConfig } from './config/e-license-config.js';
import { DemoData } from './demo/demo-data.js';
import { HolderController } from './holders/holder.controller.js';
import { HolderService } from './holders/holder.service.js';
import { UsageGrantEntity } from './holders/usage-grant.entity.js';
import { UsageLogEntity } from './holders/usage-log.entity.js';
import { UsageRepository } from './holders/usage.repository.js';
import { UsageLogService } from './holders/usage-log.service.js';
import { ESealClient } from './issuance/e-seal.client.js';
import { IssuanceService } from './issuance/issuance.service.js';
import { LicenseDocumentEntity } from './issuance/license-document.entity.js';
import { LicenseController } from './issuance/license.controller.js';
import { LicenseEntity } from './issuance/license.entity.js';
import { LicenseRepository } from './issuance/license.repository.js';
import { LicenseEventEntity } from './lifecycle/license-event.entity.js';
import { LifecycleService } from './lifecycle/lifecycle.service.js';
import { migrations } from './migrations/index.js';
import { VerificationController } from './verification/verification.controller.js';
import { VerificationService } from './verification/verification.service.js';

const entities = [
  LicenseTypeEntity,
  IssuingAuthorityEntity,
  LicenseEntity,
  LicenseDocumentEntity,
  LicenseEventEntity,
  UsageGrantEntity,
  UsageLogEntity,
  StandingPermissionEntity,
  AnnotatedCopyEntity,
  ArchiveOutboxEntity,
];

@Module({
  imports: [
    DatabaseModule.forService({ schema: 'e_license', entities, migrations }),
    AuthModule.forResource('e-license'),
    AuditModule,
  ],
  controllers: [
    LicenseTypeController,
    IssuingAuthorityController,
    LicenseController,
    VerificationController,
    HolderController,
    SharedLicenseController,
    StandingPermissionController,
    ArchiveOutboxController,
  ],
  providers: [
    LicenseTypeRepository,
    LicenseTypeService,
    IssuingAuthorityRepository,
    IssuingAuthorityService,
    LicenseRepository,
    ESealClient,
    IssuanceService,
    LifecycleService,
    AnnotatedCopyRepository,
    VerificationService,
    AnnotatedCopyService,
    UsageRepository,
    UsageLogService,
    HolderService,
    SharedLicenseService,
    ArchiveOutboxRepository,
    ArchiveOutboxWorker,
    DemoData,
    { provide: E_LICENSE_CONFIG, useFactory: () => loadELicenseConfig() },
  ],
})
export class ELicenseModule {}
