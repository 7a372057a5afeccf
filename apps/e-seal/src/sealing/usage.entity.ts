import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One use of a seal (印章使用记录): who sealed which document, before and after, and why. */
@Entity({ schema: 'e_seal', name: 'seal_usages' })
export class SealUsageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'seal_id', type: 'uuid' })
  sealId: string;

  @Column({ name: 'caller_sub', type: 'text' })
  callerSub: string;

  @Column({ name: 'caller_client_id', type: 'text', nullable: true })
  callerClientId: string | null;

  @Column({ name: 'caller_kind', type: 'text' })
  callerKind: string;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId: string | null;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName: string | null;

  @Column({ name: 'sha256_before', type: 'text' })
  sha256Before: string;

  @Column({ name: 'sha256_after', type: 'text' })
  sha256After: string;

  @Column({ name: 'field_name', type: 'text' })
  fieldName: string;

  @Column({ type: 'integer' })
  page: number;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'boolean' })
  certify: boolean;

  @Column({ type: 'timestamptz' })
  at: Date;
}
