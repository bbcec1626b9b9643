/**
 * Every BullMQ queue of Fairshare. The worker refuses to start unless each has exactly one
 * processor. Add a queue here, then its processor in apps/worker.
 */
export const QUEUES = {
  worksImport: 'works-import',
  stripeEvents: 'stripe-events',
  payouts: 'payouts',
  usageIngest: 'usage-ingest',
  royaltyRuns: 'royalty-runs',
} as const satisfies Record<string, string>;
export type QueueName = string;
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

/** Retries with exponential backoff; the last failure stays in the job (and in our tables). */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential' as const, delay: 1000 },
  removeOnComplete: { age: 7 * 86400, count: 10000 },
  removeOnFail: { age: 30 * 86400 },
};

/** Deterministic job IDs: `area.verb.id[.period]` (BullMQ forbids ':' in custom IDs). */
export const jobId = (...parts: string[]): string => parts.map((p) => p.replace(/:/g, '_')).join('.');

/** Payload of `stripe-events`: the stored event's ID only; the processor re-reads the row. */
export interface StripeEventJob {
  eventId: string;
}
export const stripeEventJobId = (eventId: string): string => jobId('stripe-event', eventId);

/** Payload of `usage-ingest`: the report's ID only; the processor re-reads the report. */
export interface UsageIngestJob {
  reportId: string;
}
export const usageIngestJobId = (reportId: string): string => jobId('usage-ingest', reportId);

/**
 * Payload of `royalty-runs` (IDs only; the run's state lives in the database). Job names: `plan`
 * (one per run generation), then a BullMQ flow: `finalize` (parent) over `chunk` (one per licence).
 */
export interface RoyaltyRunJob {
  runId: string;
  generation: number;
  chunk?: string;
}
export const royaltyJobId = (runId: string, generation: number, part: string): string => jobId('royalty', runId, String(generation), part);
