import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 加注件: a sealed copy of a license for one purpose and recipient, valid until a date. */
@Entity({ name: 'annotated_copy', schema: 'e_license' })
export class AnnotatedCopyEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'license_id' }) licenseId: string;
  @Column('text') purpose: string;
  @Column('text') recipient: string;
  @Column('date', { name: 'valid_until' }) validUntil: string;
  @Column('char', { name: 'document_sha256' }) documentSha256: string;
  @Column('char', { name: 'verification_code_hash' }) verificationCodeHash: string;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
