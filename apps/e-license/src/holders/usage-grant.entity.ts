import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 用证授权: a holder lets one business system read one license, for a purpose, until a time. */
@Entity({ name: 'usage_grant', schema: 'e_license' })
export class UsageGrantEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'license_id' }) licenseId: string;
  @Column('text', { name: 'client_id' }) clientId: string;
  @Column('text') purpose: string;
  @Column('timestamptz', { name: 'valid_until' }) validUntil: Date;
  @Column('text', { name: 'granted_by' }) grantedBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
