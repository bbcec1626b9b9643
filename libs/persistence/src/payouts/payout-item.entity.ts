import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PayoutItemStatus = 'included' | 'carried_forward' | 'pending' | 'processing' | 'paid' | 'failed' | 'reversed';

/** One creator's line of a payout run (bigint columns are strings here: PayoutItemRepository converts). */
@Entity('payout_items')
export class PayoutItemEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'run_id' }) runId: string;
  @Column('uuid', { name: 'creator_id' }) creatorId: string;
  @Column('text') currency: string;
  @Column('bigint') amount: string;
  @Column('bigint', { name: 'paid_amount', nullable: true }) paidAmount: string | null;
  @Column('bigint', { name: 'reversed_amount' }) reversedAmount: string;
  @Column('text') status: PayoutItemStatus;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text', { name: 'stripe_transfer_id', nullable: true }) stripeTransferId: string | null;
  @Column('integer', { name: 'stripe_key_seq' }) stripeKeySeq: number;
  @Column('integer') attempts: number;
  @Column('jsonb', { name: 'last_error', nullable: true }) lastError: { code: string; message: string } | null;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
