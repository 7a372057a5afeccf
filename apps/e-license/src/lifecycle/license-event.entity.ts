import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One lifecycle event: issue, change, renew, suspend, restore, revoke, cancel, expire. */
@Entity({ name: 'license_event', schema: 'e_license' })
export class LicenseEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'license_id' }) licenseId: string;
  @Column('text') action: string;
  @Column('text', { name: 'from_status', nullable: true }) fromStatus: string | null;
  @Column('text', { name: 'to_status' }) toStatus: string;
  @Column('text') actor: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('jsonb') details: Record<string, unknown>;
  @Column('timestamptz') at: Date;
}
