import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@fairshare/config';
import { Conflict, NotFound, Role, ValidationFailed } from '@fairshare/domain';
import { UserEntity, UserRepository } from '@fairshare/persistence';
import { AuditService } from '@fairshare/platform';
import { PasswordHasher } from './password-hasher';

/** Finance and admin accounts are never self-service: admins create them and grant roles. */
@Injectable()
export class UserAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  async createStaff(input: { email: string; displayName: string; password: string; roles: Role[] }): Promise<UserEntity> {
    if (input.roles.includes('licensee')) throw new ValidationFailed('LICENSEE_NEEDS_ORGANISATION', 'Licensees register themselves with their organisation.');
    const passwordHash = await this.hasher.hash(input.password);
    return this.dataSource.transaction(async (em) => {
      if (await this.users.findByEmail(input.email, em)) throw new Conflict('EMAIL_TAKEN', 'An account with this email already exists.');
      const user = await this.users.insert(em, { email: input.email, passwordHash, displayName: input.displayName, roles: input.roles, organisationId: null });
      await this.audit.record(em, { action: 'user.created_by_admin', resourceType: 'user', resourceId: user.id, details: { roles: input.roles } });
      return user;
    });
  }

  async setRoles(userId: string, roles: Role[]): Promise<UserEntity> {
    return this.dataSource.transaction(async (em) => {
      const user = await this.users.findById(userId, em);
      if (!user) throw new NotFound('USER_NOT_FOUND', 'No such user.');
      if (roles.includes('licensee') && !user.organisationId) {
        throw new ValidationFailed('LICENSEE_NEEDS_ORGANISATION', 'Only members of an organisation can hold the licensee role.');
      }
      if (user.roles.includes('admin') && !roles.includes('admin') && (await this.users.countWithRole('admin', em)) <= 1) {
        throw new Conflict('LAST_ADMIN', 'The last admin cannot lose the admin role.');
      }
      await this.users.setRoles(em, userId, roles);
      await this.audit.record(em, { action: 'user.roles_changed', resourceType: 'user', resourceId: userId, details: { from: user.roles, to: roles } });
      return (await this.users.findById(userId, em))!;
    });
  }

  list(opts: { role?: Role; limit: number; offset: number }): Promise<UserEntity[]> {
    return this.users.list(opts);
  }

  /** First start: creates the admin from ADMIN_EMAIL / ADMIN_PASSWORD when there is no admin yet. */
  async ensureAdmin(): Promise<{ created: boolean; email?: string }> {
    if ((await this.users.countWithRole('admin')) > 0) return { created: false };
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return { created: false };
    const passwordHash = await this.hasher.hash(password);
    return this.dataSource.transaction(async (em) => {
      // Serialise concurrent first starts (API and CLI): one admin only.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('fairshare.ensure_admin'))`);
      if ((await this.users.countWithRole('admin', em)) > 0) return { created: false };
      const existing = await this.users.findByEmail(email, em);
      const user = existing
        ? (await this.users.setRoles(em, existing.id, [...new Set<Role>([...existing.roles, 'admin'])]), existing)
        : await this.users.insert(em, { email, passwordHash, displayName: 'Administrator', roles: ['admin'], organisationId: null });
      await this.audit.record(em, { action: 'user.admin_bootstrapped', resourceType: 'user', resourceId: user.id, actor: { actorType: 'system', actorId: null } });
      return { created: true, email };
    });
  }
}
