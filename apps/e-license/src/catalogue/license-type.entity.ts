import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Where things go on the face (照面), in PDF points from the bottom-left corner. */
export interface LicenseLayout {
  /** A4 portrait (595 x 842 pt) or landscape (842 x 595 pt). */
  page: 'A4-portrait' | 'A4-landscape';
  title: { x: number; y: number; size: number };
  fields: { key: string; label: string; x: number; y: number; size?: number }[];
  qr: { x: number; y: number; size: number };
  verificationCode: { x: number; y: number; size?: number };
  /** The seal's centre, on the last page. */
  seal: { x: number; y: number };
}

/** A license type of the catalogue (GB/T 36902 证照类型), one row per version. */
@Entity({ name: 'license_type', schema: 'e_license' })
export class LicenseTypeEntity {
  @PrimaryColumn('uuid') id: string;
  /** GB/T 36902 type code: the defining authority's USCC followed by a 3-digit sequence. */
  @Column('varchar') code: string;
  @Column('int') version: number;
  @Column('text') name: string;
  @Column('text', { name: 'defining_authority_name' }) definingAuthorityName: string;
  @Column('char', { name: 'defining_authority_uscc' }) definingAuthorityUscc: string;
  /** 1 natural person (自然人), 2 legal person or other organisation (法人和其他组织). */
  @Column('smallint', { name: 'holder_category' }) holderCategory: 1 | 2;
  @Column('text', { name: 'issuing_level' }) issuingLevel: string;
  @Column('text', { name: 'service_item', nullable: true }) serviceItem: string | null;
  @Column('jsonb', { name: 'fields_schema' }) fieldsSchema: Record<string, unknown>;
  /** Years of validity from the issue date; null means long-term (长期). */
  @Column('int', { name: 'validity_years', nullable: true }) validityYears: number | null;
  @Column('jsonb') layout: LicenseLayout;
  /** A type-specific seal; else the issuing authority's. */
  @Column('text', { name: 'seal_id', nullable: true }) sealId: string | null;
  @Column('text', { name: 'created_by' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
