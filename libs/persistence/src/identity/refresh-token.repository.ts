import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

@Injectable()
export class RefreshTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(RefreshTokenEntity);
  }

  insert(em: EntityManager, t: { userId: string; familyId: string; tokenHash: string; expiresAt: Date }): Promise<RefreshTokenEntity> {
    return this.repo(em).save(this.repo(em).create({ ...t, revokedAt: null }));
  }

  findByHashForUpdate(em: EntityManager, tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.repo(em).createQueryBuilder('t').setLock('pessimistic_write').where('t.token_hash = :tokenHash', { tokenHash }).getOne();
  }

  async revoke(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, at]);
  }

  /** Reuse of a rotated token means it leaked: the whole family is revoked. */
  async revokeFamily(em: EntityManager, familyId: string, at: Date): Promise<void> {
    await em.query(`UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`, [familyId, at]);
  }
}
