import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A creator's Stripe Connect Express account. Written only through PayoutAccountRepository. */
@Entity('payout_accounts')
export class PayoutAccountEntity {
  @PrimaryColumn('uuid', { name: 'creator_id' }) creatorId: string;
  @Column('text', { name: 'stripe_account_id' }) stripeAccountId: string;
  @Column('text') country: string;
  @Column('text', { name: 'default_currency' }) defaultCurrency: string;
  @Column('boolean', { name: 'payouts_enabled' }) payoutsEnabled: boolean;
  @Column('boolean', { name: 'details_submitted' }) detailsSubmitted: boolean;
  @Column('jsonb') requirements: string[];
  @Column('timestamptz', { name: 'stripe_state_at', nullable: true }) stripeStateAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
