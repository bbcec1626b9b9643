import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Accounts, LedgerService } from '@fairshare/ledger';
import type { ScenarioFile } from '../rules/scenarios/scenario-runner';
import { RoyaltyClaimsService } from '../royalty-claims.service';

/**
 * Loads a scenario file (libs/royalties/src/rules/scenarios) into a real database, straight into
 * the other areas' tables, and replays its events (refunds, reports, acceptances) up to a time,
 * with the ledger entries those areas post. Test support only.
 *
 * Scenario IDs become UUIDs in the same order (`c1` < `c2` < `i1` stays true), so the tie-breaks
 * of allocate() pick the same holders and works as in the file.
 */
export class ScenarioSeeder {
  readonly ids = new Map<string, string>();
  readonly names = new Map<string, string>();
  private applied = new Set<string>();
  private readonly prefix = randomBytes(4).toString('hex');

  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerService,
    private readonly claims: RoyaltyClaimsService,
    private readonly s: ScenarioFile,
    /** Scenario creators played by existing users (registered through the API): name → user ID. */
    private readonly existing: Record<string, string> = {},
  ) {
    const all = new Set<string>();
    for (const w of s.works) {
      all.add(w.id);
      all.add(w.owner);
      for (const sp of w.splits) for (const sh of sp.shares) all.add('creator' in sh ? sh.creator : sh.invitation);
    }
    for (const i of s.invitations ?? []) {
      all.add(i.id);
      if (i.acceptedBy) all.add(i.acceptedBy);
    }
    for (const l of s.licences) {
      all.add(l.id);
      for (const m of l.manifest) all.add(m.consent);
    }
    for (const r of s.reports ?? []) all.add(r.id);
    [...all].sort().forEach((name, i) => {
      const id = `${this.prefix}-${i.toString(16).padStart(4, '0')}-4000-8000-000000000000`;
      this.ids.set(name, id);
      this.names.set(id, name);
    });
    for (const [name, id] of Object.entries(existing)) {
      this.names.delete(this.ids.get(name)!);
      this.ids.set(name, id);
      this.names.set(id, name);
    }
  }

  id(name: string): string {
    const v = this.ids.get(name);
    if (!v) throw new Error(`unknown scenario ID ${name}`);
    return v;
  }

  creators(): string[] {
    const c = new Set<string>();
    for (const w of this.s.works) {
      c.add(w.owner);
      for (const sp of w.splits) for (const sh of sp.shares) if ('creator' in sh) c.add(sh.creator);
    }
    for (const i of this.s.invitations ?? []) if (i.acceptedBy) c.add(i.acceptedBy);
    return [...c].sort();
  }

  /** The static world: people, works, consent, splits, invitations, offers. Licences appear when paid. */
  async seed(staffId: string): Promise<void> {
    const q = (sql: string, p: unknown[] = []) => this.ds.query(sql, p);
    const orgId = (await q(`INSERT INTO organisations (name, slug) VALUES ($1, $1) RETURNING id`, [`org-${this.prefix}`]))[0].id as string;
    this.ids.set('$org', orgId);
    for (const c of this.creators()) {
      if (!this.existing[c]) {
        await q(`INSERT INTO users (id, email, password_hash, display_name, roles) VALUES ($1, $2, 'x', $3, '{creator}')`, [this.id(c), `${c}-${this.prefix}@example.test`, c]);
      }
      await q(`INSERT INTO creators (id, display_name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [this.id(c), c]);
      await q(`INSERT INTO catalogues (id, owner_id, name) VALUES ($1, $1, $2)`, [this.id(c), `catalogue of ${c}`]);
    }
    const t0 = '2025-11-01T00:00:00Z';
    for (const w of this.s.works) {
      await q(
        `INSERT INTO works (id, catalogue_id, owner_id, title, media_type, language, content_hash) VALUES ($1, $2, $2, $3, 'text', 'en', $4)`,
        [this.id(w.id), this.id(w.owner), w.id, createHash('sha256').update(this.prefix + w.id).digest('hex')],
      );
    }
    for (const l of this.s.licences) {
      for (const m of l.manifest) {
        const exists = await q(`SELECT 1 FROM consent_records WHERE id = $1`, [this.id(m.consent)]);
        if (exists.length) continue;
        await q(
          `INSERT INTO consent_records (id, work_id, actor_id, created_at, allow_train, allow_fine_tune, allow_retrieval, allow_evaluation, allow_commercial, allow_collective)
           VALUES ($1, $2, $3, $4, true, true, true, true, true, true)`,
          [this.id(m.consent), this.id(m.work), this.id(this.s.works.find((w) => w.id === m.work)!.owner), t0],
        );
      }
    }
    for (const i of this.s.invitations ?? []) {
      const w = this.s.works.find((x) => x.splits.some((sp) => sp.shares.some((sh) => 'invitation' in sh && sh.invitation === i.id)));
      if (!w) continue;
      await q(`INSERT INTO holder_invitations (id, work_id, email, token_hash, invited_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
        this.id(i.id),
        this.id(w.id),
        `${i.id}-${this.prefix}@example.test`,
        randomBytes(16).toString('hex'),
        this.id(w.owner),
        t0,
      ]);
    }
    for (const w of this.s.works) {
      let version = 1;
      for (const sp of w.splits) {
        await this.ds.transaction(async (em) => {
          const splitId = (await em.query(`INSERT INTO work_splits (work_id, version, effective_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [this.id(w.id), version++, sp.effectiveAt, this.id(w.owner)]))[0].id;
          for (const sh of sp.shares) {
            await em.query(`INSERT INTO work_split_shares (split_id, holder_creator_id, holder_invitation_id, share_bps) VALUES ($1, $2, $3, $4)`, [
              splitId,
              'creator' in sh ? this.id(sh.creator) : null,
              'invitation' in sh ? this.id(sh.invitation) : null,
              sh.bps,
            ]);
          }
        });
      }
    }
    for (const l of this.s.licences) {
      await q(
        `INSERT INTO offers (id, kind, name, uses, commercial, currency, price_minor, term_days, admin_fee_bps, distribution_key, usage_unit, created_by)
         VALUES ($1, 'dataset', $2, '{train}', true, $3, $4, $5, $6, $7, 'tokens', $8)`,
        [this.id(l.id), `offer ${l.id}`, l.currency, l.paidMinor === '0' ? '1' : l.paidMinor, l.termDays, l.adminFeeBps, l.distributionKey, staffId],
      );
    }
  }

  /** Applies every event that happened at or before `at`, in time order, once. */
  async applyUntil(at: Date): Promise<void> {
    type Ev = { at: string; key: string; run: () => Promise<void> };
    const events: Ev[] = [];
    for (const l of this.s.licences) {
      events.push({ at: l.startsAt, key: `pay:${l.id}`, run: () => this.pay(l) });
      (l.refunds ?? []).forEach((r, n) => events.push({ at: r.at, key: `refund:${l.id}:${n}`, run: () => this.refund(l.id, l.currency, BigInt(r.amountMinor), r.revokes ? r.at : null, `${n}`) }));
    }
    for (const r of this.s.reports ?? []) events.push({ at: r.processedAt, key: `report:${r.id}`, run: () => this.report(r) });
    for (const i of this.s.invitations ?? []) if (i.acceptedAt) events.push({ at: i.acceptedAt, key: `accept:${i.id}`, run: () => this.accept(i.id, i.acceptedBy!, new Date(i.acceptedAt!)) });
    events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const e of events) {
      if (Date.parse(e.at) > at.getTime() || this.applied.has(e.key)) continue;
      await e.run();
      this.applied.add(e.key);
    }
  }

  private async pay(l: ScenarioFile['licences'][number]): Promise<void> {
    const startsAt = new Date(l.startsAt);
    const endsAt = l.termDays === null ? null : new Date(startsAt.getTime() + l.termDays * 86_400_000);
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO licences (id, offer_id, organisation_id, status, kind, uses, commercial, currency, price_minor, term_days, admin_fee_bps, distribution_key, usage_unit,
                               starts_at, ends_at, amount_paid_minor, manifest_sha256, work_count)
         SELECT $1, o.id, $2, 'active', o.kind, o.uses, o.commercial, o.currency, o.price_minor, o.term_days, o.admin_fee_bps, o.distribution_key, o.usage_unit,
                $3, $4, $5, $6, $7 FROM offers o WHERE o.id = $1`,
        [this.id(l.id), this.ids.get('$org'), startsAt, endsAt, l.paidMinor, 'a'.repeat(64), l.manifest.length],
      );
      for (const m of l.manifest) {
        await em.query(`INSERT INTO licence_manifest_lines (licence_id, work_id, content_hash, consent_record_id) SELECT $1, w.id, w.content_hash, $3 FROM works w WHERE w.id = $2`, [
          this.id(l.id),
          this.id(m.work),
          this.id(m.consent),
        ]);
      }
      if (BigInt(l.paidMinor) > 0n) {
        await this.ledger.post(em, {
          kind: 'licence.payment',
          reference: `scenario-${this.id(l.id)}`,
          occurredAt: startsAt,
          description: 'scenario payment',
          postings: [
            { account: Accounts.cashStripe, currency: l.currency, amount: BigInt(l.paidMinor) },
            { account: Accounts.deferredRevenue(this.id(l.id)), currency: l.currency, amount: -BigInt(l.paidMinor) },
          ],
        });
      }
    });
  }

  private async refund(licence: string, currency: string, amount: bigint, revokedAt: string | null, n: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(
        `UPDATE licences SET amount_refunded_minor = amount_refunded_minor + $2, status = CASE WHEN $3::timestamptz IS NULL THEN status ELSE 'revoked' END,
                revoked_at = coalesce($3::timestamptz, revoked_at) WHERE id = $1`,
        [this.id(licence), amount.toString(), revokedAt],
      );
      if (amount > 0n) {
        await this.ledger.post(em, {
          kind: 'licence.refund',
          reference: `scenario-${this.id(licence)}-${n}`,
          occurredAt: new Date(),
          description: 'scenario refund',
          postings: [
            { account: Accounts.deferredRevenue(this.id(licence)), currency, amount },
            { account: Accounts.cashStripe, currency, amount: -amount },
          ],
        });
      }
    });
  }

  private async report(r: NonNullable<ScenarioFile['reports']>[number]): Promise<void> {
    const name = `usage_aggregates_${r.period.replace('-', '_')}`;
    await this.ds.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF usage_aggregates FOR VALUES IN ('${r.period}')`);
    await this.ds.transaction(async (em) => {
      const units = Object.values(r.units).reduce((a, u) => a + BigInt(u), 0n);
      const n = Object.keys(r.units).length;
      await em.query(
        `INSERT INTO usage_reports (id, licence_id, organisation_id, period, source, storage_key, file_bytes, file_sha256, supersedes_id, status,
                                    line_count, accepted_count, rejected_count, accepted_units, work_count, submitted_by_type, submitted_by_id, received_at, processed_at)
         VALUES ($1, $2, $3, $4, 'json', 'scenario', 0, $5, $6, 'processed', $7, $7, 0, $8, $7, 'user', $9, $10, $10)`,
        [this.id(r.id), this.id(r.licence), this.ids.get('$org'), r.period, 'b'.repeat(64), r.supersedes ? this.id(r.supersedes) : null, n, units.toString(), this.id(r.id), r.processedAt],
      );
      if (r.supersedes) {
        await em.query(`UPDATE usage_reports SET superseded_by_id = $1, superseded_at = $2 WHERE id = $3`, [this.id(r.id), r.processedAt, this.id(r.supersedes)]);
      }
      for (const [w, u] of Object.entries(r.units)) {
        await em.query(`INSERT INTO usage_aggregates (period, report_id, licence_id, work_id, units, line_count) VALUES ($1, $2, $3, $4, $5, 1)`, [r.period, this.id(r.id), this.id(r.licence), this.id(w), u]);
      }
    });
  }

  /** What the catalogue's acceptance does: the invitation is accepted and its unclaimed money claimed. */
  private async accept(invitation: string, creator: string, at: Date): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(`UPDATE holder_invitations SET accepted_by = $2, accepted_at = $3 WHERE id = $1`, [this.id(invitation), this.id(creator), at]);
      await this.claims.claimInvitation(em, this.id(invitation), this.id(creator), at);
    });
  }
}
