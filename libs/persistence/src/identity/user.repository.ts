import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '@fairshare/domain';
import { UserEntity } from './user.entity';

@Injectable()
export class UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(UserEntity);
  }

  findById(id: string, em?: EntityManager): Promise<UserEntity | null> {
    return this.repo(em).findOneBy({ id });
  }

  findByEmail(email: string, em?: EntityManager): Promise<UserEntity | null> {
    return this.repo(em).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  /** Locks the row: login attempts on one account are serialised so failure counts stay exact. */
  findByEmailForUpdate(email: string, em: EntityManager): Promise<UserEntity | null> {
    return this.repo(em)
      .createQueryBuilder('u')
      .setLock('pessimistic_write')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  insert(
    em: EntityManager,
    user: { email: string; passwordHash: string; displayName: string; roles: Role[]; organisationId: string | null },
  ): Promise<UserEntity> {
    return this.repo(em).save(this.repo(em).create({ ...user, failedLogins: 0, lockedUntil: null }));
  }

  async recordFailedLogin(em: EntityManager, id: string, lockUntil: Date | null): Promise<void> {
    await em.query(
      `UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE($2, locked_until), updated_at = now() WHERE id = $1`,
      [id, lockUntil],
    );
  }

  async resetFailedLogins(em: EntityManager, id: string): Promise<void> {
    await em.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`, [id]);
  }

  async setRoles(em: EntityManager, id: string, roles: Role[]): Promise<void> {
    await em.query(`UPDATE users SET roles = $2, updated_at = now() WHERE id = $1`, [id, roles]);
  }

  async setOrganisation(em: EntityManager, id: string, organisationId: string): Promise<void> {
    await em.query(`UPDATE users SET organisation_id = $2, updated_at = now() WHERE id = $1`, [id, organisationId]);
  }

  async countWithRole(role: Role, em?: EntityManager): Promise<number> {
    const rows: { n: string }[] = await (em ?? this.dataSource.manager).query(
      `SELECT count(*) AS n FROM users WHERE $1 = ANY(roles)`,
      [role],
    );
    return Number(rows[0].n);
  }

  list(opts: { role?: Role; limit: number; offset: number }, em?: EntityManager): Promise<UserEntity[]> {
    const qb = this.repo(em).createQueryBuilder('u').orderBy('u.created_at', 'ASC').limit(opts.limit).offset(opts.offset);
    if (opts.role) qb.where(':role = ANY(u.roles)', { role: opts.role });
    return qb.getMany();
  }
}
