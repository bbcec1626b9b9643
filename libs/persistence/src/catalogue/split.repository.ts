import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface SplitShare {
  holderCreatorId: string | null;
  holderInvitationId: string | null;
  shareBps: number;
}

export interface Split {
  id: string;
  workId: string;
  version: number;
  effectiveAt: Date;
  createdBy: string | null;
  createdAt: Date;
  /** `creatorName`: the holder's display name (the accepting creator's for an invitation), when read with it. */
  shares: (SplitShare & { invitationEmail: string | null; acceptedBy: string | null; acceptedAt: Date | null; creatorName?: string | null })[];
}

/** A share in effect at an instant, its holder resolved (see docs/data-model.md, "Holder key"). */
export interface ShareInEffect {
  splitId: string;
  version: number;
  /** The creator ID, or the invitation ID while the invitation was not accepted before `at`. */
  holderKey: string;
  holderKind: 'creator' | 'invitation';
  shareBps: number;
}

@Injectable()
export class SplitRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends the next version of a work's split; shares must sum to 10000 (checked at commit). */
  async insertVersion(em: EntityManager, s: { workId: string; effectiveAt: Date; createdBy: string | null; at: Date; shares: SplitShare[] }): Promise<string> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO work_splits (work_id, version, effective_at, created_by, created_at)
       SELECT $1::uuid, coalesce(max(version), 0) + 1, $2::timestamptz, $3::uuid, $4::timestamptz FROM work_splits WHERE work_id = $1 RETURNING id`,
      [s.workId, s.effectiveAt, s.createdBy, s.at],
    );
    await em.query(
      `INSERT INTO work_split_shares (split_id, holder_creator_id, holder_invitation_id, share_bps)
       SELECT $1, c, i, b FROM unnest($2::uuid[], $3::uuid[], $4::int[]) AS x(c, i, b)`,
      [rows[0].id, s.shares.map((x) => x.holderCreatorId), s.shares.map((x) => x.holderInvitationId), s.shares.map((x) => x.shareBps)],
    );
    return rows[0].id;
  }

  /** Version 1 of new works: their owner holds 10000 bps (set-based, for imports). */
  async insertInitial(em: EntityManager, works: readonly { id: string; ownerId: string }[], at: Date): Promise<void> {
    if (works.length === 0) return;
    await em.query(
      `WITH s AS (
         INSERT INTO work_splits (work_id, version, effective_at, created_by, created_at)
         SELECT w, 1, $3::timestamptz, o, $3::timestamptz FROM unnest($1::uuid[], $2::uuid[]) AS x(w, o)
         RETURNING id, created_by)
       INSERT INTO work_split_shares (split_id, holder_creator_id, share_bps) SELECT id, created_by, 10000 FROM s`,
      [works.map((w) => w.id), works.map((w) => w.ownerId), at],
    );
  }

  /** Every version of a work's split, newest first, with its shares. */
  async history(workId: string, em?: EntityManager): Promise<Split[]> {
    const rows: Record<string, unknown>[] = await (em ?? this.dataSource.manager).query(
      `SELECT s.id, s.work_id, s.version, s.effective_at, s.created_by, s.created_at,
              sh.holder_creator_id, sh.holder_invitation_id, sh.share_bps, i.email, i.accepted_by, i.accepted_at,
              coalesce(c.display_name, u.display_name) AS creator_name
         FROM work_splits s JOIN work_split_shares sh ON sh.split_id = s.id
         LEFT JOIN holder_invitations i ON i.id = sh.holder_invitation_id
         LEFT JOIN creators c ON c.id = coalesce(sh.holder_creator_id, i.accepted_by)
         LEFT JOIN users u ON u.id = coalesce(sh.holder_creator_id, i.accepted_by)
        WHERE s.work_id = $1 ORDER BY s.version DESC, sh.share_bps DESC, coalesce(sh.holder_creator_id, sh.holder_invitation_id)`,
      [workId],
    );
    const out = new Map<string, Split>();
    for (const r of rows) {
      const id = r.id as string;
      if (!out.has(id)) {
        out.set(id, {
          id, workId: r.work_id as string, version: r.version as number, effectiveAt: r.effective_at as Date,
          createdBy: (r.created_by as string | null) ?? null, createdAt: r.created_at as Date, shares: [],
        });
      }
      out.get(id)!.shares.push({
        holderCreatorId: (r.holder_creator_id as string | null) ?? null,
        holderInvitationId: (r.holder_invitation_id as string | null) ?? null,
        shareBps: r.share_bps as number,
        invitationEmail: (r.email as string | null) ?? null,
        acceptedBy: (r.accepted_by as string | null) ?? null,
        acceptedAt: (r.accepted_at as Date | null) ?? null,
        creatorName: (r.creator_name as string | null) ?? null,
      });
    }
    return [...out.values()];
  }

  async latestEffectiveAt(em: EntityManager, workId: string): Promise<Date | null> {
    const rows: { at: Date | null }[] = await em.query(`SELECT max(effective_at) AS at FROM work_splits WHERE work_id = $1`, [workId]);
    return rows[0]?.at ?? null;
  }

  /** Whether a creator holds a share of the work (in any version, or through an accepted invitation). */
  async isHolder(workId: string, creatorId: string, em?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (em ?? this.dataSource.manager).query(
      `SELECT 1 FROM work_splits s JOIN work_split_shares sh ON sh.split_id = s.id
         LEFT JOIN holder_invitations i ON i.id = sh.holder_invitation_id
        WHERE s.work_id = $1 AND (sh.holder_creator_id = $2 OR i.accepted_by = $2) LIMIT 1`,
      [workId, creatorId],
    );
    return rows.length > 0;
  }

  /**
   * Per work, the shares of the split in effect at `at` (greatest effective_at < at), each with its
   * holder key: the creator, or the accepting creator if the invitation was accepted before `at`,
   * else the invitation ID. One statement for any number of works; works with no split yet are absent.
   */
  async sharesInEffect(em: EntityManager, workIds: readonly string[], at: Date): Promise<Map<string, ShareInEffect[]>> {
    const rows: { work_id: string; split_id: string; version: number; holder_key: string; holder_kind: 'creator' | 'invitation'; share_bps: number }[] = await em.query(
      `SELECT s.work_id, s.id AS split_id, s.version, sh.share_bps,
              CASE WHEN sh.holder_creator_id IS NOT NULL THEN sh.holder_creator_id
                   WHEN i.accepted_at < $2 THEN i.accepted_by ELSE i.id END AS holder_key,
              CASE WHEN sh.holder_creator_id IS NOT NULL OR i.accepted_at < $2 THEN 'creator' ELSE 'invitation' END AS holder_kind
         FROM (SELECT DISTINCT ON (work_id) id, work_id, version FROM work_splits
                WHERE work_id = ANY($1::uuid[]) AND effective_at < $2
                ORDER BY work_id, effective_at DESC, version DESC) s
         JOIN work_split_shares sh ON sh.split_id = s.id
         LEFT JOIN holder_invitations i ON i.id = sh.holder_invitation_id
        ORDER BY s.work_id, holder_key`,
      [workIds, at],
    );
    const out = new Map<string, ShareInEffect[]>();
    for (const r of rows) {
      const list = out.get(r.work_id) ?? [];
      list.push({ splitId: r.split_id, version: r.version, holderKey: r.holder_key, holderKind: r.holder_kind, shareBps: r.share_bps });
      out.set(r.work_id, list);
    }
    return out;
  }
}

@Injectable()
export class HolderInvitationRepository {
  /** The invitation of this email for this work, created with `tokenHash` if there is none. */
  async findOrCreate(em: EntityManager, i: { workId: string; email: string; tokenHash: string; invitedBy: string; at: Date }): Promise<{ id: string; created: boolean; acceptedBy: string | null }> {
    const inserted: { id: string }[] = await em.query(
      `INSERT INTO holder_invitations (work_id, email, token_hash, invited_by, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (work_id, lower(email)) DO NOTHING RETURNING id`,
      [i.workId, i.email, i.tokenHash, i.invitedBy, i.at],
    );
    if (inserted[0]) return { id: inserted[0].id, created: true, acceptedBy: null };
    const rows: { id: string; accepted_by: string | null }[] = await em.query(
      `SELECT id, accepted_by FROM holder_invitations WHERE work_id = $1 AND lower(email) = lower($2)`,
      [i.workId, i.email],
    );
    return { id: rows[0].id, created: false, acceptedBy: rows[0].accepted_by };
  }

  async lockByTokenHash(em: EntityManager, tokenHash: string): Promise<{ id: string; workId: string; email: string; acceptedBy: string | null; acceptedAt: Date | null } | null> {
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT id, work_id, email, accepted_by, accepted_at FROM holder_invitations WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    const r = rows[0];
    return r ? { id: r.id as string, workId: r.work_id as string, email: r.email as string, acceptedBy: (r.accepted_by as string | null) ?? null, acceptedAt: (r.accepted_at as Date | null) ?? null } : null;
  }

  async accept(em: EntityManager, id: string, creatorId: string, at: Date): Promise<void> {
    await em.query(`UPDATE holder_invitations SET accepted_by = $2, accepted_at = $3 WHERE id = $1 AND accepted_by IS NULL`, [id, creatorId, at]);
  }
}
