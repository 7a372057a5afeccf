import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An issuing authority (发证机关) and the seal it issues with. */
@Entity({ name: 'issuing_authority', schema: 'e_license' })
export class IssuingAuthorityEntity {
  @PrimaryColumn('char') uscc: string;
  @Column('text') name: string;
  /** GB/T 2260 administrative division code. */
  @Column('char', { name: 'region_code' }) regionCode: string;
  /** 国家级, 省级, 市级, 县级. */
  @Column('text') level: string;
  @Column('text', { name: 'seal_id' }) sealId: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
