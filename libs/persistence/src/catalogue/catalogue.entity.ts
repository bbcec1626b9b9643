import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('catalogues')
export class CatalogueEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
