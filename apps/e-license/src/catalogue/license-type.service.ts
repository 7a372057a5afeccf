import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { parseUscc, getLogger } from '#common';
import { AuditLog } from '#audit';
import { LicenseError, LicenseErrorCode } from '../license.error.js';
import { compileFieldSchema } from './field-schema.js';
import { checkLayout } from './layout.js';
import type {
  CreateLicenseTypeDto,
  LicenseTypeVersionDto,
  LicenseTypeView,
} from './license-type.dto.js';
import { LicenseTypeEntity } from './license-type.entity.js';
import { LicenseTypeRepository } from './license-type.repository.js';

/** The license catalogue (GB/T 36902): types, each versioned. */
@Injectable()
export class LicenseTypeService {
  private readonly log = getLogger('e-license.catalogue');

  constructor(
    private readonly types: LicenseTypeRepository,
    private readonly audit: AuditLog,
  ) {}

  async list(): Promise<LicenseTypeView[]> {
    return (await this.types.listCurrent()).map(toView);
  }

  async get(code: string, version?: number): Promise<LicenseTypeEntity> {
    const row = version
      ? await this.types.byVersion(code, version)
      : await this.types.current(code);
    if (!row) {
      throw new LicenseError(LicenseErrorCode.UnknownLicenseType, 404, 'No such license type', {
        typeCode: code,
      });
    }
    return row;
  }

  async versions(code: string): Promise<LicenseTypeView[]> {
    const rows = await this.types.versions(code);
    if (rows.length === 0) await this.get(code);
    return rows.map(toView);
  }

  async create(dto: CreateLicenseTypeDto, actor: string): Promise<LicenseTypeView> {
    if (!dto.code.startsWith(dto.definingAuthorityUscc)) {
      throw new LicenseError(
        LicenseErrorCode.InvalidLicenseType,
        400,
        'GB/T 36902: a type code starts with the USCC of its defining authority',
      );
    }
    if (await this.types.current(dto.code)) {
      throw new LicenseError(LicenseErrorCode.LicenseTypeExists, 409, 'The type code is taken', {
        typeCode: dto.code,
      });
    }
    return this.addVersion(dto.code, 1, dto, actor);
  }

  /** A new version; licenses already issued keep the version they were issued under. */
  async revise(code: string, dto: LicenseTypeVersionDto, actor: string): Promise<LicenseTypeView> {
    const current = await this.get(code);
    if (dto.definingAuthorityUscc !== current.definingAuthorityUscc) {
      throw new LicenseError(
        LicenseErrorCode.InvalidLicenseType,
        400,
        'The defining authority is part of the type code and cannot change',
      );
    }
    return this.addVersion(code, current.version + 1, dto, actor);
  }

  private async addVersion(
    code: string,
    version: number,
    dto: LicenseTypeVersionDto,
    actor: string,
  ): Promise<LicenseTypeView> {
    if (!parseUscc(dto.definingAuthorityUscc).valid) {
      throw new LicenseError(
        LicenseErrorCode.InvalidLicenseType,
        400,
        'definingAuthorityUscc is not a valid unified social credit code',
      );
    }
    const id = randomUUID();
    compileFieldSchema(id, dto.fieldsSchema);
    const fieldNames = Object.keys(dto.fieldsSchema.properties as Record<string, unknown>);
    const layout = checkLayout(dto.layout, fieldNames);

    const row = Object.assign(new LicenseTypeEntity(), {
      id,
      code,
      version,
      name: dto.name,
      definingAuthorityName: dto.definingAuthorityName,
      definingAuthorityUscc: dto.definingAuthorityUscc,
      holderCategory: dto.holderCategory,
      issuingLevel: dto.issuingLevel,
      serviceItem: dto.serviceItem ?? null,
      fieldsSchema: dto.fieldsSchema,
      validityYears: dto.validityYears,
      layout,
      sealId: dto.sealId ?? null,
      createdBy: actor,
    });
    const saved = await this.types.transaction(async (m) => {
      try {
        const r = await this.types.insert(row, m);
        await this.audit.append(
          {
            action: 'license-type.version',
            actor,
            subject: `license-type:${code}`,
            details: { version },
          },
          m,
        );
        return r;
      } catch (err) {
        if ((err as { code?: string }).code === '23505') {
          throw new LicenseError(LicenseErrorCode.LicenseTypeExists, 409, 'That version exists');
        }
        throw err;
      }
    });
    this.log.info({ typeCode: code, version }, 'license type version added');
    return toView(saved);
  }
}

export function toView(t: LicenseTypeEntity): LicenseTypeView {
  return {
    id: t.id,
    code: t.code,
    version: t.version,
    name: t.name,
    definingAuthority: { name: t.definingAuthorityName, uscc: t.definingAuthorityUscc },
    holderCategory: t.holderCategory,
    issuingLevel: t.issuingLevel,
    serviceItem: t.serviceItem,
    fieldsSchema: t.fieldsSchema,
    validity: t.validityYears === null ? { longTerm: true } : { years: t.validityYears },
    layout: t.layout,
    sealId: t.sealId,
    createdAt: new Date(t.createdAt).toISOString(),
  };
}
