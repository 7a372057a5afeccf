import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '#audit';
import { unitsWithRole, type Caller } from '#auth';
import { getLogger, isValidUscc, ValidationError } from '#common';
import { pngProblem } from '#pdf';
import { toPem } from '#pki';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { canManage, canRead, requireAccess } from './seal-access.js';
import type { ApplySealDto, SealView } from './seal.dto.js';
import { SealEntity } from './seal.entity.js';
import { effectiveStatus, SealStatus } from './seal-lifecycle.js';
import { SealRepository } from './seal.repository.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_PNG_BYTES = 1024 * 1024;

/** Applying for seals, reading them, and the answer verifiers ask: valid at time T? */
@Injectable()
export class SealRegistryService {
  private readonly log = getLogger('e-seal.registry');

  constructor(
    private readonly seals: SealRepository,
    private readonly audit: AuditLog,
  ) {}

  /** 申请: the owner's administrator applies; the seal code is assigned here. */
  async apply(
    caller: Caller,
    dto: ApplySealDto,
    actor = caller.sub,
    id: string = randomUUID(),
    // Demo data only: identity's demo organisations carry codes that fail the GB 11714 check.
    checkUscc = true,
  ): Promise<SealEntity> {
    requireAccess(canManage(caller, dto.ownerUscc), 'apply for seals of this organisation');
    if (checkUscc && !isValidUscc(dto.ownerUscc)) {
      throw new ValidationError([{ field: 'ownerUscc', messages: ['check character is wrong'] }]);
    }
    const validFrom = new Date(dto.validFrom);
    const validTo = new Date(dto.validTo);
    if (!(validTo > validFrom)) {
      throw new ValidationError([{ field: 'validTo', messages: ['must be after validFrom'] }]);
    }
    const imagePng = dto.imagePng ? await checkPng(Buffer.from(dto.imagePng, 'base64')) : null;

    const seal = await this.seals.transaction(async (m) => {
      const now = new Date();
      const sequence = await this.seals.nextCodeSequence(m);
      const entity: SealEntity = Object.assign(new SealEntity(), {
        id,
        // Seal code: the owner's division code (USCC digits 3-8) and a 7-digit sequence.
        code: `${dto.ownerUscc.slice(2, 8)}${String(sequence).padStart(7, '0')}`,
        ownerUscc: dto.ownerUscc,
        ownerName: dto.ownerName,
        name: dto.name,
        type: dto.type,
        status: SealStatus.Applied,
        imagePng,
        validFrom,
        validTo,
        allowedClients: [...new Set(dto.allowedClients ?? [])],
        keyId: null,
        certificate: null,
        certificateSerial: null,
        certificateSha256: null,
        revokedAt: null,
        revocationReason: null,
        appliedBy: actor,
        createdAt: now,
        updatedAt: now,
      });
      await this.seals.insert(entity, m);
      await this.seals.appendEvent(
        {
          sealId: entity.id,
          fromStatus: null,
          toStatus: SealStatus.Applied,
          actor,
          note: null,
          at: now,
        },
        m,
      );
      await this.audit.append(
        {
          action: 'seal.applied',
          actor,
          subject: `seal:${entity.id}`,
          details: { code: entity.code, ownerUscc: entity.ownerUscc, type: entity.type },
        },
        m,
      );
      return entity;
    });
    this.log.info({ sealId: seal.id, code: seal.code }, 'seal applied for');
    return seal;
  }

  /** Which business systems (client ids) may use the seal; the owner decides. */
  async setAllowedClients(caller: Caller, id: string, clients: string[]): Promise<SealEntity> {
    const seal = await this.find(id);
    requireAccess(canManage(caller, seal.ownerUscc), 'change who may use this seal');
    const allowed = [...new Set(clients)];
    await this.seals.transaction(async (m) => {
      const row = await this.seals.findForUpdate(id, m);
      if (!row) throw new SealError(SealErrorCode.SealNotFound, 404, 'No such seal');
      const before = row.allowedClients;
      row.allowedClients = allowed;
      row.updatedAt = new Date();
      await this.seals.save(row, m);
      await this.audit.append(
        {
          action: 'seal.allowedClientsChanged',
          actor: caller.sub,
          subject: `seal:${id}`,
          details: { before, after: allowed },
        },
        m,
      );
    });
    seal.allowedClients = allowed;
    return seal;
  }

  async get(caller: Caller, id: string): Promise<SealEntity> {
    const seal = await this.find(id);
    requireAccess(canRead(caller, seal.ownerUscc), 'read this seal');
    return seal;
  }

  async find(id: string): Promise<SealEntity> {
    const seal = /^[0-9a-f-]{36}$/i.test(id) ? await this.seals.findById(id) : null;
    if (!seal) throw new SealError(SealErrorCode.SealNotFound, 404, 'No such seal');
    return seal;
  }

  /** Seals of every unit the caller holds a seal role for. */
  async list(caller: Caller, ownerUscc?: string): Promise<SealEntity[]> {
    const units = new Set(
      ['seal:read', 'seal:manage', 'seal:approve', 'seal:apply'].flatMap((r) =>
        unitsWithRole(caller, r),
      ),
    );
    if (ownerUscc) {
      requireAccess(canRead(caller, ownerUscc), 'read seals of this organisation');
      return this.seals.findByOwner(ownerUscc);
    }
    if (units.has('*')) return this.seals.findAll();
    const lists = await Promise.all([...units].map((u) => this.seals.findByOwner(u)));
    return lists.flat();
  }

  events(id: string) {
    return this.seals.events(id);
  }

  /**
   * Whether the seal was valid at `at`: in use then (by its lifecycle events), within its
   * validity, and its certificate not on hold or revoked then.
   */
  async statusAt(id: string, at: Date) {
    const seal = await this.find(id);
    const events = await this.seals.events(id);
    const last = events.filter((e) => e.at <= at).pop();
    let status = last?.toStatus;
    if (status && at > seal.validTo && status !== SealStatus.Cancelled) status = SealStatus.Expired;
    const valid = status === SealStatus.InUse && at >= seal.validFrom;
    return {
      sealId: seal.id,
      code: seal.code,
      name: seal.name,
      ownerUscc: seal.ownerUscc,
      ownerName: seal.ownerName,
      at: at.toISOString(),
      statusAt: status ?? null,
      validAt: valid,
      currentStatus: effectiveStatus(seal, new Date()),
      revokedAt: seal.revokedAt?.toISOString() ?? null,
    };
  }
}

async function checkPng(png: Buffer): Promise<Buffer> {
  if (png.length > MAX_PNG_BYTES || !png.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new SealError(SealErrorCode.SealImageInvalid, 400, 'imagePng must be a PNG up to 1 MB');
  }
  const problem = await pngProblem(png);
  if (problem) {
    throw new SealError(SealErrorCode.SealImageInvalid, 400, `imagePng is not usable: ${problem}`);
  }
  return png;
}

/** The seal as shown to callers (no key id; the certificate as PEM). */
export function toSealView(seal: SealEntity, now = new Date()): SealView {
  return {
    id: seal.id,
    code: seal.code,
    ownerUscc: seal.ownerUscc,
    ownerName: seal.ownerName,
    name: seal.name,
    type: seal.type,
    status: effectiveStatus(seal, now),
    validFrom: seal.validFrom.toISOString(),
    validTo: seal.validTo.toISOString(),
    image: seal.imagePng ? 'png' : 'generated',
    allowedClients: seal.allowedClients,
    certificateSerial: seal.certificateSerial ?? undefined,
    certificatePem: seal.certificate ? toPem(seal.certificate) : undefined,
  };
}
