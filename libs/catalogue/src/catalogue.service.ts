import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogueCounts, CatalogueEntity, CatalogueRepository } from '@fairshare/persistence';
import { AuditService, ClockService, Principal } from '@fairshare/platform';
import { assertCatalogueOwner, isAdmin, requireCatalogue, userIdOf } from './catalogue-access';
import { CreatorProfileService } from './creator-profile.service';

@Injectable()
export class CatalogueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalogues: CatalogueRepository,
    private readonly profiles: CreatorProfileService,
    private readonly clock: ClockService,
    private readonly audit: AuditService,
  ) {}

  async create(ownerId: string, input: { name: string; description?: string | null }): Promise<CatalogueEntity> {
    const at = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      await this.profiles.ensure(em, ownerId);
      const c = await this.catalogues.insert(em, { ownerId, name: input.name, description: input.description ?? null, at });
      await this.audit.record(em, { action: 'catalogue.created', resourceType: 'catalogue', resourceId: c.id, details: { name: c.name } });
      return c;
    });
  }

  async update(p: Principal, id: string, input: { name?: string; description?: string | null }): Promise<CatalogueEntity> {
    const at = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const c = requireCatalogue(await this.catalogues.findById(id, em));
      assertCatalogueOwner(c, p);
      const updated = await this.catalogues.update(em, id, { ...input, at });
      await this.audit.record(em, { action: 'catalogue.updated', resourceType: 'catalogue', resourceId: id, details: input });
      return updated;
    });
  }

  listMine(ownerId: string): Promise<CatalogueEntity[]> {
    return this.catalogues.listByOwner(ownerId);
  }

  /** A catalogue with its counts: owners and admins count drafts too, everyone else what is listed. */
  async get(p: Principal | undefined, id: string): Promise<{ catalogue: CatalogueEntity; counts: CatalogueCounts; includesDrafts: boolean }> {
    const catalogue = requireCatalogue(await this.catalogues.findById(id));
    const includesDrafts = isAdmin(p) || catalogue.ownerId === userIdOf(p);
    return { catalogue, counts: await this.catalogues.counts(id, !includesDrafts), includesDrafts };
  }
}
