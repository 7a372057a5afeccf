import { Module } from '@nestjs/common';
import { AuditModule } from '#audit';
import { AuthModule } from '#auth';
import { DatabaseModule } from '#database';
import { AccountSecurityController } from './account/account-security.controller.js';
import { AccountSession } from './account/account-session.js';
import { OrganisationAgentsController } from './account/organisation-agents.controller.js';
import { AccountService } from './accounts/account.service.js';
import { AccountSessionsRepository } from './accounts/account-sessions.repository.js';
import { LegalRepresentativeService } from './accounts/legal-representative.service.js';
import { PasswordService } from './accounts/password.service.js';
import { PersonProfileService } from './accounts/person-profile.service.js';
import { OrganisationService } from './accounts/organisation.service.js';
import { OrganisationRepository } from './accounts/organisation.repository.js';
import { PersonRepository } from './accounts/person.repository.js';
import { RoleRepository } from './accounts/role.repository.js';
import { SignInThrottleRepository } from './accounts/sign-in-throttle.repository.js';
import { SignInService } from './accounts/sign-in.service.js';
import { TotpService } from './accounts/totp.service.js';
import { ClientsController } from './admin/clients.controller.js';
import { OrganisationsController } from './admin/organisations.controller.js';
import { PeopleController } from './admin/people.controller.js';
import { OperationsController, RolesController } from './admin/roles.controller.js';
import { KeyRotationService } from './keys/key-rotation.service.js';
import { ConsentStep } from './interaction/consent-step.service.js';
import { InteractionController } from './interaction/interaction.controller.js';
import { BootstrapService } from './bootstrap/bootstrap.service.js';
import { DemoDataService } from './bootstrap/demo-data.service.js';
import { ClientRegistryService } from './clients/client-registry.service.js';
import { ClientRepository } from './clients/client.repository.js';
import { FieldCrypto } from './crypto/field-crypto.js';
import { KeyStoreService } from './keys/key-store.service.js';
import { SigningKeyRepository } from './keys/signing-key.repository.js';
import { BackchannelDeliveryRepository } from './logout/backchannel-delivery.repository.js';
import { BackchannelQueueService } from './logout/backchannel-queue.service.js';
import { migrations } from './migrations/index.js';
import { OidcPayloadRepository } from './oidc/oidc-payload.repository.js';
import { ProviderEvents } from './oidc/provider-events.js';
import { ProviderHost } from './oidc/provider-host.service.js';
import { TokenClaimsService } from './oidc/token-claims.service.js';
import { RetentionService } from './retention/retention.service.js';

@Module({
  imports: [
    DatabaseModule.forService({ schema: 'identity', entities: [], migrations }),
    AuditModule,
    AuthModule.forResource('identity'),
  ],
  controllers: [
    InteractionController,
    AccountSecurityController,
    OrganisationAgentsController,
    ClientsController,
    PeopleController,
    OrganisationsController,
    RolesController,
    OperationsController,
  ],
  providers: [
    ConsentStep,
    SignInThrottleRepository,
    SignInService,
    TotpService,
    FieldCrypto,
    OidcPayloadRepository,
    SigningKeyRepository,
    KeyStoreService,
    KeyRotationService,
    ClientRepository,
    ClientRegistryService,
    PersonRepository,
    OrganisationRepository,
    RoleRepository,
    AccountService,
    OrganisationService,
    LegalRepresentativeService,
    AccountSessionsRepository,
    PasswordService,
    PersonProfileService,
    AccountSession,
    TokenClaimsService,
    BackchannelDeliveryRepository,
    BackchannelQueueService,
    ProviderEvents,
    ProviderHost,
    RetentionService,
    DemoDataService,
    BootstrapService,
  ],
})
export class IdentityModule {}
