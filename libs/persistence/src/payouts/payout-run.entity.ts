import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PayoutRunStatus = 'preview' | 'approved' | 'executing' | 'completed' | 'failed';

/** A payout run (bigint columns are strings here: PayoutRunRepository converts). */
@Entity('payout_runs')
export class PayoutRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') currency: string;
  @Column('text') status: PayoutRunStatus;
  @Column('bigint', { name: 'minimum_minor' }) minimumMinor: string;
  @Column('jsonb') totals: Record<string, { count: number; amountMinor: string }>;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('uuid', { name: 'approved_by', nullable: true }) approvedBy: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'approved_at', nullable: true }) approvedAt: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
