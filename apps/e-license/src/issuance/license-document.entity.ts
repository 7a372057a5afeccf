import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Sealed PDFs, content-addressed by SHA-256 and kept in PostgreSQL (bytea): written in the
 * same transaction as the license, so a license never points at a missing file, and every
 * replica sees the same bytes without a shared disk.
 */
@Entity({ name: 'license_document', schema: 'e_license' })
export class LicenseDocumentEntity {
  @PrimaryColumn('char') sha256: string;
  @Column('bytea') bytes: Buffer;
  @Column('int') size: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
