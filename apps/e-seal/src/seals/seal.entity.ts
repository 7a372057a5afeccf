import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SealStatus, SealType } from './seal-lifecycle.js';

/** A seal: its image, name, owner and signing certificate with its key (电子印章管理办法). */
@Entity({ schema: 'e_seal', name: 'seals' })
export class SealEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** 13 digits: the owner's 6-digit division code and a 7-digit sequence number. */
  @Column({ type: 'text' })
  code: string;

  @Column({ name: 'owner_uscc', type: 'text' })
  ownerUscc: string;

  @Column({ name: 'owner_name', type: 'text' })
  ownerName: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  type: SealType;

  @Column({ type: 'text' })
  status: SealStatus;

  /** An uploaded PNG; null means the generated vector round seal. */
  @Column({ name: 'image_png', type: 'bytea', nullable: true })
  imagePng: Buffer | null;

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom: Date;

  @Column({ name: 'valid_to', type: 'timestamptz' })
  validTo: Date;

  /** Client ids of business systems that may use the seal (e.g. `svc-e-license`). */
  @Column({ name: 'allowed_clients', type: 'jsonb' })
  allowedClients: string[];

  @Column({ name: 'key_id', type: 'uuid', nullable: true })
  keyId: string | null;

  @Column({ type: 'bytea', nullable: true })
  certificate: Buffer | null;

  @Column({ name: 'certificate_serial', type: 'text', nullable: true })
  certificateSerial: string | null;

  @Column({ name: 'certificate_sha256', type: 'text', nullable: true })
  certificateSha256: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** RFC 5280 5.3.1 reason name: certificateHold (suspended) or cessationOfOperation. */
  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason: string | null;

  @Column({ name: 'applied_by', type: 'text' })
  appliedBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One lifecycle step: who moved the seal from which status to which, and when. */
@Entity({ schema: 'e_seal', name: 'seal_events' })
export class SealEventEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' })
  id: string;

  @Column({ name: 'seal_id', type: 'uuid' })
  sealId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: SealStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: SealStatus;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;
}
