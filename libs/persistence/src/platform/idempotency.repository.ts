import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

@Injectable()
export class IdempotencyRepository {
  /**
   * Claims (scope, key) inside the caller's transaction. Returns true when this transaction owns
   * the key; a concurrent claimer blocks on the unique index until the owner commits or rolls back.
   */
  async claim(em: EntityManager, scope: string, key: string, requestHash: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body)
       VALUES ($1, $2, $3, 0, 'null'::jsonb) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, requestHash],
    );
    return rows.length === 1;
  }

  async find(em: EntityManager, scope: string, key: string): Promise<StoredResponse | null> {
    const rows: { request_hash: string; response_status: number; response_body: unknown }[] = await em.query(
      `SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    return rows[0] ? { requestHash: rows[0].request_hash, status: rows[0].response_status, body: rows[0].response_body } : null;
  }

  async complete(em: EntityManager, scope: string, key: string, status: number, body: unknown): Promise<void> {
    await em.query(`UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2`, [
      scope,
      key,
      status,
      JSON.stringify(body ?? null),
    ]);
  }
}
