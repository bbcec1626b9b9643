import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(ApiKeyEntity);
  }

  insert(em: EntityManager, k: { organisationId: string; createdBy: string; name: string; prefix: string; keyHash: string }): Promise<ApiKeyEntity> {
    return this.repo(em).save(this.repo(em).create({ ...k, lastUsedAt: null, revokedAt: null }));
  }

  findActiveByHash(keyHash: string): Promise<ApiKeyEntity | null> {
    return this.repo().findOneBy({ keyHash, revokedAt: IsNull() });
  }

  findById(id: string, em?: EntityManager): Promise<ApiKeyEntity | null> {
    return this.repo(em).findOneBy({ id });
  }

  listForOrganisation(organisationId: string): Promise<ApiKeyEntity[]> {
    return this.repo().find({ where: { organisationId }, order: { createdAt: 'DESC' } });
  }

  async revoke(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
  }

  /** Last-used time is advisory: one cheap UPDATE at most once a minute per key. */
  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }
}
