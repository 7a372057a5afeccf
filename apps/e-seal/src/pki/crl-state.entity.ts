import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The current CRL of one issuer, with its monotonically increasing number (RFC 5280 5.2.3). */
@Entity({ schema: 'e_seal', name: 'crl_state' })
export class CrlStateEntity {
  @PrimaryColumn({ type: 'text' })
  issuer: string;

  @Column({ name: 'crl_number', type: 'bigint' })
  crlNumber: string;

  @Column({ type: 'bytea' })
  crl: Buffer;

  @Column({ name: 'this_update', type: 'timestamptz' })
  thisUpdate: Date;

  @Column({ name: 'next_update', type: 'timestamptz' })
  nextUpdate: Date;
}
