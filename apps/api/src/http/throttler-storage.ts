import { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** Interface of @nestjs/throttler (not exported from its index). */
interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * The expiry times of one tracker's hits, oldest first. Expired hits are a prefix, dropped by moving
 * `head`: pruning costs the hits that expired, not the hits that are live.
 */
class Hits {
  private times: number[] = [];
  private head = 0;

  get count(): number {
    return this.times.length - this.head;
  }

  /** Expiry of the oldest live hit (only when count > 0). */
  get oldest(): number {
    return this.times[this.head];
  }

  /** Expiry of the newest hit (only when count > 0). */
  get newest(): number {
    return this.times[this.times.length - 1];
  }

  /** Drops the hits expired at `now` (expiry <= now). */
  prune(now: number): void {
    const t = this.times;
    while (this.head < t.length && t[this.head] <= now) this.head++;
    if (this.head === t.length) this.clear();
    else if (this.head > 1024 && this.head * 2 > t.length) {
      this.times = t.slice(this.head);
      this.head = 0;
    }
  }

  /** Adds an expiry; the list stays sorted (the wall clock may step back, or the TTL change). */
  add(expiresAt: number): void {
    const t = this.times;
    if (this.head === t.length || expiresAt >= t[t.length - 1]) {
      t.push(expiresAt);
      return;
    }
    let lo = this.head;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (t[mid] <= expiresAt) lo = mid + 1;
      else hi = mid;
    }
    t.splice(lo, 0, expiresAt);
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }
}

interface TrackerRecord {
  hits: Map<string, Hits>;
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * In-memory rate-limit storage with the exact answers of @nestjs/throttler's ThrottlerStorageService
 * (a sliding window of hits per tracker, then a block of `blockDuration`), at a constant cost per
 * request. The library's storage filters the tracker's whole list of hits and spreads it into
 * Math.min on every request: with one busy client (60 s × 1,000 req/s = 60,000 hits) that cost a
 * large share of each request's CPU (docs/benchmarks.md, "Catalogue search"). Here the hits are a
 * sorted list pruned from its front. `throttler-storage.spec.ts` checks the answers against the
 * library's storage on random sequences.
 */
export class ThrottlerMemoryStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly records = new Map<string, TrackerRecord>();
  private sweep: NodeJS.Timeout | undefined;

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    return this.hit(key, ttl, limit, blockDuration, throttlerName, Date.now());
  }

  /** increment() at a given time (synchronous). */
  hit(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string, now: number): ThrottlerStorageRecord {
    if (!this.sweep) {
      this.sweep = setInterval(() => this.evictIdle(Date.now()), SWEEP_INTERVAL_MS);
      this.sweep.unref();
    }
    let record = this.records.get(key);
    if (!record) {
      record = { hits: new Map(), expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false };
      this.records.set(key, record);
    }
    let hits = record.hits.get(throttlerName);
    if (!hits) {
      hits = new Hits();
      record.hits.set(throttlerName, hits);
    }
    hits.prune(now);
    let timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      record.expiresAt = now + ttl;
      timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    }
    if (blockDuration <= 0) {
      const blocked = hits.count >= limit;
      if (!blocked) hits.add(now + ttl);
      const timeToBlockExpire = hits.count ? Math.ceil((hits.oldest - now) / 1000) : timeToExpire;
      return { totalHits: hits.count + (blocked ? 1 : 0), timeToExpire, isBlocked: blocked, timeToBlockExpire: blocked ? timeToBlockExpire : 0 };
    }
    if (!record.isBlocked) hits.add(now + ttl);
    if (hits.count > limit && !record.isBlocked) {
      record.isBlocked = true;
      record.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((record.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && record.isBlocked) {
      record.isBlocked = false;
      hits.clear();
      hits.add(now + ttl);
    }
    return { totalHits: hits.count, timeToExpire, isBlocked: record.isBlocked, timeToBlockExpire };
  }

  /** Forgets trackers with no block, no window and no live hit left (as the library's sweep does). */
  evictIdle(now: number): void {
    for (const [key, r] of this.records) {
      if (r.isBlocked && r.blockExpiresAt > now) continue;
      if (r.expiresAt > now) continue;
      if ([...r.hits.values()].some((h) => h.count > 0 && h.newest > now)) continue;
      this.records.delete(key);
    }
  }

  get size(): number {
    return this.records.size;
  }

  onApplicationShutdown(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
    this.records.clear();
  }
}
