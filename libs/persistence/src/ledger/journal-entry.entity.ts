import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A ledger journal entry (append-only). Written only through LedgerRepository's SQL. */
@Entity('journal_entries')
export class JournalEntryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') kind: string;
  @Column('text') reference: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('text') description: string;
  @Column('jsonb') metadata: Record<string, unknown>;
  @Column('text', { name: 'postings_digest' }) postingsDigest: string;
}
