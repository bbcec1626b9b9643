import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payouts (issue 7): creators' Stripe Connect accounts, payout runs and their items.
 * Four-eyes is enforced here too (approved_by <> created_by), and a Stripe transfer can belong to
 * one item only.
 */
export class Payouts1764200000000 implements MigrationInterface {
  name = 'Payouts1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payout_accounts (
        creator_id uuid PRIMARY KEY REFERENCES creators(id),
        stripe_account_id text NOT NULL UNIQUE,
        country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        default_currency text NOT NULL CHECK (default_currency ~ '^[A-Z]{3}$'),
        payouts_enabled boolean NOT NULL DEFAULT false,
        details_submitted boolean NOT NULL DEFAULT false,
        -- Stripe's requirements currently due / past due (field names).
        requirements jsonb NOT NULL DEFAULT '[]'::jsonb,
        -- created time of the last account.updated applied: older events arriving late are ignored.
        stripe_state_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE payout_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status text NOT NULL CHECK (status IN ('preview','approved','executing','completed','failed')),
        minimum_minor bigint NOT NULL CHECK (minimum_minor >= 0),
        -- Per reason ("included", "BELOW_MINIMUM", ...): {"count": n, "amountMinor": "digits"}.
        totals jsonb NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        approved_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        approved_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT payout_runs_four_eyes CHECK (approved_by IS NULL OR approved_by <> created_by)
      );
      CREATE INDEX payout_runs_created_idx ON payout_runs (created_at DESC);

      CREATE TABLE payout_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES payout_runs(id),
        creator_id uuid NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        -- What the creator was owed at preview (the payable balance, negated: positive = owed).
        amount bigint NOT NULL,
        -- What was actually transferred: min(amount, balance at execution).
        paid_amount bigint CHECK (paid_amount > 0),
        reversed_amount bigint NOT NULL DEFAULT 0 CHECK (reversed_amount >= 0),
        status text NOT NULL CHECK (status IN ('included','carried_forward','pending','processing','paid','failed','reversed')),
        reason text,
        stripe_transfer_id text UNIQUE,
        -- Bumped only after Stripe definitively refused a transfer under the current key (see docs/payouts.md).
        stripe_key_seq integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        last_error jsonb,
        paid_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payout_items_run_creator_key UNIQUE (run_id, creator_id),
        CONSTRAINT payout_items_paid_has_transfer CHECK (status NOT IN ('paid','reversed') OR (stripe_transfer_id IS NOT NULL AND paid_amount IS NOT NULL))
      );
      CREATE INDEX payout_items_creator_idx ON payout_items (creator_id, created_at DESC);
      CREATE INDEX payout_items_paid_at_idx ON payout_items (paid_at) WHERE paid_at IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payout_items; DROP TABLE payout_runs; DROP TABLE payout_accounts;`);
  }
}
