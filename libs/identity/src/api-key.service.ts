import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Forbidden, NotFound, ValidationFailed } from '@fairshare/domain';
import { ApiKeyEntity, ApiKeyRepository } from '@fairshare/persistence';
import { AuditService, ClockService, Principal } from '@fairshare/platform';
import { API_KEY_PREFIX, randomToken, sha256 } from './secrets';

/** Organisation API keys: shown once, stored hashed, recognisable by their `fs_live_` prefix. */
@Injectable()
export class ApiKeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditService,
    private readonly clock: ClockService,
  ) {}

  async create(principal: Principal, name: string): Promise<{ key: string; apiKey: ApiKeyEntity }> {
    const orgId = this.organisationOf(principal);
    const key = randomToken(API_KEY_PREFIX);
    const apiKey = await this.dataSource.transaction(async (em) => {
      const created = await this.keys.insert(em, {
        organisationId: orgId,
        createdBy: (principal as { userId: string }).userId,
        name,
        prefix: key.slice(0, API_KEY_PREFIX.length + 6),
        keyHash: sha256(key),
      });
      await this.audit.record(em, { action: 'api_key.created', resourceType: 'api_key', resourceId: created.id, details: { name, organisationId: orgId } });
      return created;
    });
    return { key, apiKey };
  }

  list(principal: Principal): Promise<ApiKeyEntity[]> {
    return this.keys.listForOrganisation(this.organisationOf(principal));
  }

  async revoke(principal: Principal, id: string): Promise<ApiKeyEntity> {
    const orgId = this.organisationOf(principal);
    const now = await this.clock.now();
    return this.dataSource.transaction(async (em) => {
      const key = await this.keys.findById(id, em);
      if (!key || key.organisationId !== orgId) throw new NotFound('API_KEY_NOT_FOUND', 'No such API key in your organisation.');
      await this.keys.revoke(em, id, now);
      await this.audit.record(em, { action: 'api_key.revoked', resourceType: 'api_key', resourceId: id });
      return (await this.keys.findById(id, em))!;
    });
  }

  private organisationOf(principal: Principal): string {
    if (principal.kind !== 'user') throw new Forbidden('API_KEY_CANNOT_MANAGE_KEYS', 'API keys cannot manage API keys: sign in as a member.');
    if (!principal.organisationId) throw new ValidationFailed('NO_ORGANISATION', 'You do not belong to an organisation.');
    return principal.organisationId;
  }
}
