import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LicenseStatus } from '../lifecycle/license-status.js';

/** One version of an issued license with its GB/T 36903 metadata. */
@Entity({ name: 'license', schema: 'e_license' })
export class LicenseEntity {
  @PrimaryColumn('uuid') id: string;
  /** GB/T 36904 identifier (证照标识). */
  @Column('text') identifier: string;
  /** 证照编号, printed on the face; the same across versions. */
  @Column('text', { name: 'license_number' }) licenseNumber: string;
  @Column('uuid', { name: 'type_id' }) typeId: string;
  @Column('varchar', { name: 'type_code' }) typeCode: string;
  @Column('int', { name: 'type_version' }) typeVersion: number;
  /** 证照名称 */
  @Column('text') name: string;
  @Column('char', { name: 'issuer_uscc' }) issuerUscc: string;
  @Column('text', { name: 'issuer_name' }) issuerName: string;
  @Column('text') serial: string;
  @Column('int') version: number;
  @Column('text') status: LicenseStatus;
  @Column('text', { name: 'holder_name' }) holderName: string;
  /** GB/T 36903 持证主体代码类型: 111 resident ID, 001 USCC, 414 passport, ... */
  @Column('varchar', { name: 'holder_code_type' }) holderCodeType: string;
  @Column('bytea', { name: 'holder_code_enc' }) holderCodeEnc: Buffer;
  @Column('char', { name: 'holder_code_hash' }) holderCodeHash: string;
  @Column('jsonb') fields: Record<string, unknown>;
  @Column('date', { name: 'issue_date' }) issueDate: string;
  @Column('date', { name: 'valid_from' }) validFrom: string;
  /** null: long-term (长期). */
  @Column('date', { name: 'valid_until', nullable: true }) validUntil: string | null;
  @Column('timestamptz', { name: 'issued_at' }) issuedAt: Date;
  @Column('text', { name: 'issued_by' }) issuedBy: string;
  @Column('char', { name: 'verification_code_hash' }) verificationCodeHash: string;
  @Column('char', { name: 'document_sha256', nullable: true }) documentSha256: string | null;
  @Column('uuid', { name: 'previous_id', nullable: true }) previousId: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
