import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditRepository, AuditRow } from '@fairshare/persistence';
import { RequestContext } from './request-context';

/** Writes "who did what to which resource, when" inside the caller's transaction. */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  async record(
    em: EntityManager,
    entry: { action: string; resourceType: string; resourceId: string | null; details?: unknown; actor?: Pick<AuditRow, 'actorType' | 'actorId'> },
  ): Promise<void> {
    const ctx = RequestContext.current();
    const p = ctx?.principal;
    const actor =
      entry.actor ??
      (p?.kind === 'user'
        ? { actorType: 'user' as const, actorId: p.userId }
        : p?.kind === 'api_key'
          ? { actorType: 'api_key' as const, actorId: p.apiKeyId }
          : ctx
            ? { actorType: 'anonymous' as const, actorId: null }
            : { actorType: 'system' as const, actorId: null });
    await this.repo.insert(em, {
      ...actor,
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      requestId: ctx?.requestId ?? null,
      details: entry.details,
    });
  }
}
