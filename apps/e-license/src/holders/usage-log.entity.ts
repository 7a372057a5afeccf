import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 用证记录: every read of a license by anyone but the public verifier. */
@Entity({ name: 'usage_log', schema: 'e_license' })
export class UsageLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'license_id' }) licenseId: string;
  /** holder, client, clerk */
  @Column('text', { name: 'accessor_kind' }) accessorKind: string;
  /** Client id or account id (never a personal identifier). */
  @Column('text') accessor: string;
  /** The unit the accessor acted for: a clerk's issuing authority (USCC and name). */
  @Column('text', { name: 'accessor_unit', nullable: true }) accessorUnit: string | null;
  @Column('text', { name: 'accessor_unit_name', nullable: true }) accessorUnitName: string | null;
  /** read-data, read-pdf, download, copy */
  @Column('text') action: string;
  @Column('text', { nullable: true }) purpose: string | null;
  /** grant:<id>, standing:<id>, holder, clerk */
  @Column('text', { nullable: true }) basis: string | null;
  @Column('timestamptz') at: Date;
}
