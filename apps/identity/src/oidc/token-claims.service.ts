import { Injectable } from '@nestjs/common';
import type { Account, KoaContextWithOIDC, TokenLike } from 'oidc-provider';
import { ID_PURPOSE, PHONE_PURPOSE } from '../accounts/account.service.js';
import { OrganisationRepository } from '../accounts/organisation.repository.js';
import { PersonRepository } from '../accounts/person.repository.js';
import { RoleRepository } from '../accounts/role.repository.js';
import { FieldCrypto } from '../crypto/field-crypto.js';
import type { AccountForToken } from './oidc-payload.repository.js';
import { accountKey } from './postgres-adapter.js';
import { RequestMemo } from './request-memo.js';

/**
 * What tokens and userinfo say about a caller (docs/INTEGRATION.md "Claims"): roles with their
 * units, the organisation an agent acts for (`org`), and the identity document only under the
 * `idcard` scope. Personal identifiers are unsealed here and nowhere else.
 */
@Injectable()
export class TokenClaimsService {
  /**
   * One request asks for the acting organisation up to three times (ID token, access token,
   * userinfo claims): it is looked up once per request, so a revocation still counts at once.
   */
  private readonly perRequest = new WeakMap<object, Map<string, Promise<ActingOrganisation>>>();
  /** What the adapter read about a token's person with the token, for findAccount. */
  readonly prefetched = new RequestMemo<AccountForToken>();
  /** A person's own roles, read with the person by findAccount, for the same request. */
  private readonly ownRoles = new WeakMap<object, Map<string, TokenRole[]>>();

  constructor(
    private readonly people: PersonRepository,
    private readonly organisations: OrganisationRepository,
    private readonly roles: RoleRepository,
    private readonly crypto: FieldCrypto,
  ) {}

  async findAccount(
    ctx: KoaContextWithOIDC | undefined,
    sub: string,
    token?: TokenLike,
  ): Promise<Account | undefined> {
    const grantId = token?.grantId ?? (ctx?.oidc.entities.Grant?.jti as string | undefined);
    let person;
    if (ctx && grantId) {
      // At the token endpoint: the person, the acting organisation and the person's own
      // roles in one round trip (read with the token itself, see the adapter), remembered
      // for the rest of this request.
      const found =
        this.prefetched.take(accountKey(sub, grantId)) ??
        (await this.people.findForToken(sub, grantId));
      person = found?.person;
      if (found && !this.actingMemo(ctx).has(grantId)) {
        const orgId = found.actingOrganisationId;
        this.actingMemo(ctx).set(
          grantId,
          orgId ? this.lookUpActing(grantId, orgId) : Promise.resolve(undefined),
        );
      }
      if (found) this.rolesMemo(ctx).set(sub, found.ownRoles);
    } else {
      person = await this.people.findById(sub);
    }
    if (!person || person.disabled) return undefined;
    return {
      accountId: person.id,
      claims: async (use, scope) => {
        const scopes = new Set(scope.split(' '));
        // The ID number and the phone are released at userinfo (and to resource servers in
        // access tokens), never in the ID token: an ID token travels, as id_token_hint in
        // logout URLs that browsers keep in their history and proxies log.
        const travels = use === 'id_token';
        const org = grantId ? await this.actingOrganisation(grantId, ctx) : undefined;
        return {
          sub: person.id,
          name: person.name,
          preferred_username: person.username ?? undefined,
          email: person.email ?? undefined,
          phone_number:
            !travels && scopes.has('phone') && person.phone_sealed
              ? this.crypto.open(person.phone_sealed, PHONE_PURPOSE)
              : undefined,
          id_document:
            !travels && scopes.has('idcard') && person.id_number_sealed
              ? {
                  type: person.id_type,
                  number: this.crypto.open(person.id_number_sealed, ID_PURPOSE),
                }
              : undefined,
          org: org ? { uscc: org.uscc, name: org.name } : undefined,
        };
      },
    };
  }

  /** Claims added to access tokens (RFC 9068 section 2.2.3 allows any further claims). */
  async extraTokenClaims(
    ctx: KoaContextWithOIDC,
    token: TokenLike,
  ): Promise<Record<string, unknown>> {
    // A role reaches a token only with the scope of the same name: each token says no more
    // than its audience needs.
    const scopes = new Set((token.scope ?? '').split(' '));
    if (!token.accountId) {
      const roles = await this.roles.forClientToken(token.clientId!);
      return { roles: roles.filter((r) => scopes.has(r.role)) };
    }
    const org = token.grantId ? await this.actingOrganisation(token.grantId, ctx) : undefined;
    const roles =
      (!org && this.ownRoles.get(ctx)?.get(token.accountId)) ||
      (await this.roles.forToken('person', token.accountId, org?.id ?? null));
    const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
    const out: Record<string, unknown> = {
      roles: roles.filter(
        (r) => scopes.has(r.role) && (!org?.matters || org.matters.includes(r.role)),
      ),
      acr: source?.acr ?? ctx.oidc.session?.acr,
      auth_time: source?.authTime ?? ctx.oidc.session?.loginTs,
    };
    if (org) out.org = { uscc: org.uscc, name: org.name };
    // `idcard` is an OIDC scope: it is in the consented request (code or refresh token), not
    // among the resource scopes of the access token itself.
    const consented = new Set(String(source?.scope ?? '').split(' '));
    if (scopes.has('idcard') || consented.has('idcard')) {
      const person = await this.people.findById(token.accountId);
      if (person?.id_number_sealed) {
        out.id_document = {
          type: person.id_type,
          number: this.crypto.open(person.id_number_sealed, ID_PURPOSE),
        };
      }
    }
    return out;
  }

  private actingOrganisation(grantId: string, ctx?: object): Promise<ActingOrganisation> {
    if (!ctx) return this.lookUpActing(grantId);
    const memo = this.actingMemo(ctx);
    let found = memo.get(grantId);
    if (!found) memo.set(grantId, (found = this.lookUpActing(grantId)));
    return found;
  }

  private actingMemo(ctx: object): Map<string, Promise<ActingOrganisation>> {
    let memo = this.perRequest.get(ctx);
    if (!memo) this.perRequest.set(ctx, (memo = new Map()));
    return memo;
  }

  private rolesMemo(ctx: object): Map<string, TokenRole[]> {
    let memo = this.ownRoles.get(ctx);
    if (!memo) this.ownRoles.set(ctx, (memo = new Map()));
    return memo;
  }

  /**
   * The organisation a grant acts for, while the agent's authorisation is still in force.
   * `knownOrganisationId`: the grant's organisation, when already read with the person.
   */
  private async lookUpActing(
    grantId: string,
    knownOrganisationId?: string,
  ): Promise<ActingOrganisation> {
    const organisationId = knownOrganisationId ?? (await this.organisations.findActing(grantId));
    if (!organisationId) return undefined;
    const org = await this.organisations.findById(organisationId);
    if (!org) return undefined;
    const agencies = await this.organisations.agencyForGrant(grantId);
    // A revoked or lapsed authorisation ends the agency: the tokens stop saying so at once.
    if (!agencies) return undefined;
    return { id: org.id, uscc: org.uscc, name: org.name, matters: agencies.matters };
  }
}

type TokenRole = { role: string; unit: string };

type ActingOrganisation =
  { id: string; uscc: string; name: string; matters: string[] | null } | undefined;
