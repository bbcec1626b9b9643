import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Conflict, ValidationFailed } from '@fairshare/domain';
import { IdempotencyRepository } from '@fairshare/persistence';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** Canonical JSON (sorted keys) so the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  const o = value as Record<string, unknown>;
  return '{' + Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson(o[k])).join(',') + '}';
}

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` for money-moving POSTs. The key and a SHA-256 of the request are stored in the
 * same transaction as the effect: a replay with the same body answers the stored response, the
 * same key with another body is refused (409), and a concurrent duplicate waits on the unique
 * index and then sees the first answer.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: IdempotencyRepository,
  ) {}

  async execute<T>(
    input: { scope: string; key: string | undefined; request: unknown },
    effect: (em: EntityManager) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    const key = input.key;
    if (!key) throw new ValidationFailed('IDEMPOTENCY_KEY_REQUIRED', 'This request moves money: send an Idempotency-Key header.');
    if (!KEY_FORMAT.test(key)) throw new ValidationFailed('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
    const requestHash = createHash('sha256').update(canonicalJson(input.request)).digest('hex');
    return this.dataSource.transaction(async (em) => {
      if (!(await this.repo.claim(em, input.scope, key, requestHash))) {
        const stored = await this.repo.find(em, input.scope, key);
        if (!stored || stored.requestHash !== requestHash) {
          throw new Conflict('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.');
        }
        return { status: stored.status, body: stored.body as T, replayed: true };
      }
      const result = await effect(em);
      await this.repo.complete(em, input.scope, key, result.status, result.body);
      return { ...result, replayed: false };
    });
  }
}
