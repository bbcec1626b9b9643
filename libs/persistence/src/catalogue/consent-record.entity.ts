import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change of a work's consent (append-only). Manifest and royalty lines point at these IDs. */
@Entity('consent_records')
export class ConsentRecordEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'work_id' }) workId: string;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('boolean', { name: 'allow_train' }) allowTrain: boolean;
  @Column('boolean', { name: 'allow_fine_tune' }) allowFineTune: boolean;
  @Column('boolean', { name: 'allow_retrieval' }) allowRetrieval: boolean;
  @Column('boolean', { name: 'allow_evaluation' }) allowEvaluation: boolean;
  @Column('boolean', { name: 'allow_commercial' }) allowCommercial: boolean;
  @Column('boolean', { name: 'allow_collective' }) allowCollective: boolean;
  @Column('uuid', { name: 'excluded_organisation_ids', array: true }) excludedOrganisationIds: string[];
  @Column('uuid', { name: 'previous_id', nullable: true }) previousId: string | null;
  @Column('uuid', { name: 'bulk_id', nullable: true }) bulkId: string | null;
}
