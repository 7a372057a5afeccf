import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A sealed license waiting to be archived in e-archive (transactional outbox). */
@Entity({ name: 'archive_outbox', schema: 'e_license' })
export class ArchiveOutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'license_id' }) licenseId: string;
  @Column('char', { name: 'document_sha256' }) documentSha256: string;
  @Column('int') attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'archived_at', nullable: true }) archivedAt: Date | null;
  @Column('text', { name: 'archive_record_id', nullable: true }) archiveRecordId: string | null;
  /** Set when e-archive refused the job for good; a dead job is never claimed again. */
  @Column('timestamptz', { name: 'dead_at', nullable: true }) deadAt: Date | null;
  @Column('text', { name: 'problem_code', nullable: true }) problemCode: string | null;
  @Column('text', { name: 'problem_detail', nullable: true }) problemDetail: string | null;
}
