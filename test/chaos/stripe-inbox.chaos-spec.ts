import { createHash, randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '@fairshare/jobs';
import { LedgerService } from '@fairshare/ledger';
import { StripeWebhookService } from '@fairshare/licensing';
import { bearer, TestSystem, WorkerProcess } from '@fairshare/testing';

jest.setTimeout(180_000);

const SWEEP = { STRIPE_EVENTS_SWEEP_INTERVAL_MS: '500', STRIPE_EVENTS_SWEEP_MIN_AGE_MS: '1000' };

/**
 * The webhook inbox: the API stored Stripe's events (`received`) and enqueued them, then Redis lost
 * the jobs before any worker picked them up. The worker's inbox sweep enqueues them again under
 * their deterministic job IDs: the licence is activated, its payment posted exactly once.
 */
describe('Stripe events whose jobs were lost are still applied (chaos)', () => {
  let sys: TestSystem;
  let worker: WorkerProcess | null = null;
  beforeAll(async () => {
    sys = await TestSystem.start({ worker: false, env: SWEEP });
  });
  afterAll(async () => {
    await worker?.stop().catch(() => undefined);
    await sys?.stop();
  });

  it('events stored but with their jobs lost: swept, applied once', async () => {
    const admin = await sys.createStaff(['admin']);
    const creator = await sys.registerCreator('Inbox');
    await sys.http.put('/v1/me/creator-profile').set(bearer(creator)).send({ displayName: 'Inbox', country: 'FR', payoutCurrency: 'EUR' }).expect(200);
    const catalogueId = (await sys.http.post('/v1/catalogues').set(bearer(creator)).send({ name: 'Inbox' }).expect(201)).body.id;
    const work = (
      await sys.http
        .post(`/v1/catalogues/${catalogueId}/works`)
        .set(bearer(creator))
        .send({ title: 'Inbox work', mediaType: 'text', language: 'en', contentHash: createHash('sha256').update(randomBytes(32)).digest('hex') })
        .expect(201)
    ).body;
    await sys.http
      .put(`/v1/works/${work.id}/consent`)
      .set(bearer(creator))
      .send({ train: true, fineTune: true, retrieval: true, evaluation: true, commercial: true, collective: true })
      .expect(200);
    const offer = (
      await sys.http
        .post('/v1/offers')
        .set(bearer(admin))
        .send({ kind: 'collective', name: 'Collective', uses: ['train'], commercial: true, currency: 'EUR', priceMinor: '100000', termDays: 365, adminFeeBps: 1000, distributionKey: 'usage', usageUnit: 'tokens' })
        .expect(201)
    ).body;
    const licensee = await sys.registerLicensee('Inbox AI');
    const bought = (await sys.http.post('/v1/licences').set(bearer(licensee)).set('Idempotency-Key', randomBytes(8).toString('hex')).send({ offerId: offer.id }).expect(201)).body;
    const sessionId = (bought.checkoutUrl as string).split('/').pop() as string;
    expect(sys.stripe.pay(sessionId).outcome).toBe('succeeded');
    await sys.stripe.whenDelivered();

    const received: { id: string }[] = await sys.dataSource.query(`SELECT id FROM stripe_events WHERE status = 'received'`);
    expect(received.length).toBeGreaterThan(0);
    const queue = sys.api.get<Queue>(getQueueToken(QUEUES.stripeEvents), { strict: false });
    const jobs = await queue.getJobCounts('wait', 'delayed', 'active');
    expect(jobs.wait + jobs.delayed + jobs.active).toBe(received.length);

    // While the jobs exist, a sweep is a no-op (same job IDs).
    await new Promise((r) => setTimeout(r, 1100));
    expect(await sys.get(StripeWebhookService).requeueReceived(1000)).toBe(received.length);
    const again = await queue.getJobCounts('wait', 'delayed', 'active');
    expect(again.wait + again.delayed + again.active).toBe(received.length);

    // Redis loses them (this system's queue only; never the shared server's other keys).
    await queue.obliterate({ force: true });
    expect(Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0)).toBe(0);
    expect((await sys.dataSource.query(`SELECT status FROM licences WHERE id = $1`, [bought.licence.id]))[0].status).not.toBe('active');

    worker = await WorkerProcess.start(sys.config);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [l] = await sys.dataSource.query(`SELECT status FROM licences WHERE id = $1`, [bought.licence.id]);
      const [left] = await sys.dataSource.query(`SELECT count(*)::int AS n FROM stripe_events WHERE status IN ('received','failed')`);
      if (l.status === 'active' && left.n === 0) break;
      if (Date.now() > deadline) throw new Error(`licence ${l.status}, ${left.n} events not applied:\n${worker.logs.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const events: { status: string; attempts: number }[] = await sys.dataSource.query(`SELECT status, attempts FROM stripe_events WHERE id = ANY($1)`, [received.map((e) => e.id)]);
    expect(events.every((e) => e.status === 'processed' && e.attempts === 1)).toBe(true);
    const [payments] = await sys.dataSource.query(`SELECT count(*)::int AS n FROM journal_entries WHERE kind = 'licence.payment'`);
    expect(payments.n).toBe(1);
    expect((await sys.get(LedgerService).trialBalance()).balanced).toBe(true);
  });
});
