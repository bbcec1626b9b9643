import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const MEDIA_TYPES = ['text', 'image', 'audio', 'video', 'code', 'dataset', 'other'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
export type WorkStatus = 'active' | 'disputed' | 'rejected';
export interface WorkIdentifiers {
  isbn?: string;
  isrc?: string;
  iswc?: string;
  doi?: string;
  url?: string;
}

/** A work with its current consent (denormalised from its latest consent record). */
@Entity('works')
export class WorkEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'catalogue_id' }) catalogueId: string;
  @Column('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('text') title: string;
  @Column('text', { name: 'media_type' }) mediaType: MediaType;
  @Column('text') language: string;
  @Column('jsonb') identifiers: WorkIdentifiers;
  @Column('text', { name: 'content_hash' }) contentHash: string;
  /** bigint: TypeORM returns a string; repositories convert. */
  @Column('bigint', { name: 'size_bytes', nullable: true }) sizeBytes: string | null;
  @Column('text', { array: true }) tags: string[];
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { name: 'source_url', nullable: true }) sourceUrl: string | null;
  @Column('text') status: WorkStatus;
  @Column('text', { name: 'storage_key', nullable: true }) storageKey: string | null;
  @Column('uuid', { name: 'consent_record_id', nullable: true }) consentRecordId: string | null;
  @Column('boolean', { name: 'allow_train' }) allowTrain: boolean;
  @Column('boolean', { name: 'allow_fine_tune' }) allowFineTune: boolean;
  @Column('boolean', { name: 'allow_retrieval' }) allowRetrieval: boolean;
  @Column('boolean', { name: 'allow_evaluation' }) allowEvaluation: boolean;
  @Column('boolean', { name: 'allow_commercial' }) allowCommercial: boolean;
  @Column('boolean', { name: 'allow_collective' }) allowCollective: boolean;
  @Column('uuid', { name: 'excluded_organisation_ids', array: true }) excludedOrganisationIds: string[];
  @Column({ type: 'boolean', name: 'listed', insert: false, update: false }) listed: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
