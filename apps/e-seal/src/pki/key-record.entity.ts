import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One private key at rest, encrypted by #pki's EncryptedKeyStore (AES-256-GCM). */
@Entity({ schema: 'e_seal', name: 'key_records' })
export class KeyRecordEntity {
  @PrimaryColumn({ name: 'key_id', type: 'uuid' })
  keyId: string;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text' })
  algorithm: string;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey: Buffer;

  @Column({ type: 'bytea' })
  iv: Buffer;

  @Column({ type: 'bytea' })
  ciphertext: Buffer;

  @Column({ name: 'auth_tag', type: 'bytea' })
  authTag: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
