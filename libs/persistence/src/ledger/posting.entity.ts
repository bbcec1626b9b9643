import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

const bigintColumn = { to: (v: bigint) => v.toString(), from: (v: string) => BigInt(v) };

/** One line of a journal entry: debit positive, credit negative (append-only). */
@Entity('postings')
export class PostingEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'entry_id' }) entryId: string;
  @Column('text') account: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { transformer: bigintColumn }) amount: bigint;
}
