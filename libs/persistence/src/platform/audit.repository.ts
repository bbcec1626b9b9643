import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface AuditRow {
  actorType: 'user' | 'api_key' | 'system' | 'anonymous';
  actorId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  requestId: string | null;
  details: unknown;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, row: AuditRow): Promise<void> {
    await em.query(
      `INSERT INTO audit_log (actor_type, actor_id, action, resource_type, resource_id, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.actorType, row.actorId, row.action, row.resourceType, row.resourceId, row.requestId, row.details === undefined ? null : JSON.stringify(row.details)],
    );
  }

  async list(filter: { resourceType?: string; resourceId?: string; actorId?: string; limit: number; beforeId?: string }): Promise<(AuditRow & { id: string; occurredAt: Date })[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, occurred_at, actor_type, actor_id, action, resource_type, resource_id, request_id, details
         FROM audit_log
        WHERE ($1::text IS NULL OR resource_type = $1) AND ($2::text IS NULL OR resource_id = $2)
          AND ($3::uuid IS NULL OR actor_id = $3) AND ($4::bigint IS NULL OR id < $4)
        ORDER BY id DESC LIMIT $5`,
      [filter.resourceType ?? null, filter.resourceId ?? null, filter.actorId ?? null, filter.beforeId ?? null, filter.limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      occurredAt: r.occurred_at as Date,
      actorType: r.actor_type as AuditRow['actorType'],
      actorId: (r.actor_id as string) ?? null,
      action: r.action as string,
      resourceType: r.resource_type as string,
      resourceId: (r.resource_id as string) ?? null,
      requestId: (r.request_id as string) ?? null,
      details: r.details,
    }));
  }
}
