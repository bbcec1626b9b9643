import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type WorksImportStatus = 'queued' | 'processing' | 'completed' | 'failed';

@Entity('works_imports')
export class WorksImportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'catalogue_id' }) catalogueId: string;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('text', { name: 'file_sha256' }) fileSha256: string;
  @Column('text', { name: 'storage_key' }) storageKey: string;
  @Column('bigint', { name: 'size_bytes' }) sizeBytes: string;
  @Column('text') status: WorksImportStatus;
  @Column('int', { name: 'rows_processed' }) rowsProcessed: number;
  @Column('int', { name: 'rows_created' }) rowsCreated: number;
  @Column('int', { name: 'rows_rejected' }) rowsRejected: number;
  @Column('text', { name: 'error_code', nullable: true }) errorCode: string | null;
  @Column('text', { name: 'error_message', nullable: true }) errorMessage: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
}
