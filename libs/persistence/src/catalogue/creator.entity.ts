import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A creator profile; its ID is the user's ID. */
@Entity('creators')
export class CreatorEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { nullable: true }) country: string | null;
  @Column('text', { name: 'payout_currency', nullable: true }) payoutCurrency: string | null;
  @Column('text', { nullable: true }) bio: string | null;
  @Column('text', { array: true }) links: string[];
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
