import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A standing permission for a business system to read every license of one type. */
@Entity({ name: 'standing_permission', schema: 'e_license' })
export class StandingPermissionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'client_id' }) clientId: string;
  @Column('varchar', { name: 'type_code' }) typeCode: string;
  @Column('text') purpose: string;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
