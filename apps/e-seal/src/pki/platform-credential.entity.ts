import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PlatformRole = 'root' | 'issuing' | 'tsa';

/**
 * A certificate of the platform PKI. The root's key is absent when the root was imported
 * from certs/ (an offline root); the issuing CA and the TSA always have theirs in the store.
 */
@Entity({ schema: 'e_seal', name: 'platform_credentials' })
export class PlatformCredentialEntity {
  @PrimaryColumn({ type: 'text' })
  role: PlatformRole;

  @Column({ type: 'bytea' })
  certificate: Buffer;

  @Column({ name: 'key_id', type: 'uuid', nullable: true })
  keyId: string | null;

  @Column({ type: 'text' })
  origin: 'generated' | 'imported';

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
