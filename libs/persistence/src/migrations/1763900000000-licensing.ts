import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Licensing: offers, licences (with a snapshot of the offer's terms), the fixed manifest of each
 * licence, admin refund requests, content downloads and the Stripe event inbox.
 * Work IDs are not foreign keys here: the catalogue's tables are owned by another area, and a
 * manifest line must outlive any change to the work (it records what was licensed).
 */
export class Licensing1763900000000 implements MigrationInterface {
  name = 'Licensing1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE offers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('collective','dataset')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '',
        uses text[] NOT NULL CHECK (cardinality(uses) > 0 AND uses <@ ARRAY['train','fine_tune','retrieval','evaluation']::text[]),
        commercial boolean NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        price_minor bigint NOT NULL CHECK (price_minor > 0),
        term_days integer CHECK (term_days IS NULL OR term_days > 0),
        admin_fee_bps integer NOT NULL CHECK (admin_fee_bps BETWEEN 0 AND 10000),
        distribution_key text NOT NULL CHECK (distribution_key IN ('usage','equal')),
        usage_unit text NOT NULL CHECK (usage_unit ~ '^[a-z][a-z0-9_]{0,39}$'),
        active boolean NOT NULL DEFAULT true,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Tariff tiers of a collective offer (e.g. by declared annual revenue band): each sets the price.
      CREATE TABLE offer_tiers (
        offer_id uuid NOT NULL REFERENCES offers(id),
        code text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
        label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
        price_minor bigint NOT NULL CHECK (price_minor > 0),
        position integer NOT NULL,
        PRIMARY KEY (offer_id, code)
      );

      -- The works of a dataset offer, fixed at creation.
      CREATE TABLE offer_works (
        offer_id uuid NOT NULL REFERENCES offers(id),
        work_id uuid NOT NULL,
        PRIMARY KEY (offer_id, work_id)
      );

      CREATE TABLE licences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offer_id uuid NOT NULL REFERENCES offers(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        purchased_by uuid REFERENCES users(id),
        tier text,
        status text NOT NULL DEFAULT 'pending_payment'
          CHECK (status IN ('pending_payment','active','cancelled','revoked')),
        -- Snapshot of the offer's terms at purchase: later edits of the offer never change a licence.
        kind text NOT NULL CHECK (kind IN ('collective','dataset')),
        uses text[] NOT NULL,
        commercial boolean NOT NULL,
        currency text NOT NULL,
        price_minor bigint NOT NULL CHECK (price_minor > 0),
        term_days integer,
        admin_fee_bps integer NOT NULL,
        distribution_key text NOT NULL,
        usage_unit text NOT NULL,
        starts_at timestamptz,
        ends_at timestamptz,
        cancelled_at timestamptz,
        revoked_at timestamptz,
        amount_paid_minor bigint NOT NULL DEFAULT 0 CHECK (amount_paid_minor >= 0),
        -- Refunds plus lost disputes: net paid = amount_paid_minor - amount_refunded_minor.
        amount_refunded_minor bigint NOT NULL DEFAULT 0 CHECK (amount_refunded_minor >= 0),
        dispute_lost_minor bigint NOT NULL DEFAULT 0 CHECK (dispute_lost_minor >= 0),
        last_refunded_at timestamptz,
        dispute_status text NOT NULL DEFAULT 'none' CHECK (dispute_status IN ('none','open','won','lost')),
        stripe_dispute_id text,
        stripe_checkout_session_id text UNIQUE,
        stripe_payment_intent_id text,
        stripe_charge_id text UNIQUE,
        manifest_sha256 text CHECK (manifest_sha256 IS NULL OR manifest_sha256 ~ '^[0-9a-f]{64}$'),
        manifest_signature text,
        manifest_key_id text,
        work_count integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (amount_refunded_minor <= amount_paid_minor),
        CHECK (status <> 'active' OR (starts_at IS NOT NULL AND manifest_sha256 IS NOT NULL))
      );
      CREATE INDEX licences_organisation_idx ON licences (organisation_id, created_at);
      CREATE INDEX licences_offer_idx ON licences (offer_id);
      CREATE INDEX licences_status_idx ON licences (status, starts_at);

      -- Fixed at activation, never changed: what the licence covers, and which consent allowed it.
      CREATE TABLE licence_manifest_lines (
        licence_id uuid NOT NULL REFERENCES licences(id),
        work_id uuid NOT NULL,
        content_hash text NOT NULL,
        consent_record_id uuid NOT NULL,
        PRIMARY KEY (licence_id, work_id)
      );
      CREATE INDEX licence_manifest_lines_work_idx ON licence_manifest_lines (work_id, licence_id);
      CREATE TRIGGER licence_manifest_lines_append_only BEFORE UPDATE OR DELETE ON licence_manifest_lines
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Refunds asked for by admins; the money itself is recorded from Stripe's webhook.
      CREATE TABLE licence_refunds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        licence_id uuid NOT NULL REFERENCES licences(id),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL,
        status text NOT NULL CHECK (status IN ('requested','submitted')),
        stripe_refund_id text UNIQUE,
        requested_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX licence_refunds_licence_idx ON licence_refunds (licence_id);

      CREATE TABLE content_downloads (
        id bigserial PRIMARY KEY,
        licence_id uuid NOT NULL REFERENCES licences(id),
        work_id uuid NOT NULL,
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        actor_type text NOT NULL CHECK (actor_type IN ('user','api_key')),
        actor_id uuid NOT NULL,
        downloaded_at timestamptz NOT NULL,
        request_id text
      );
      CREATE INDEX content_downloads_licence_idx ON content_downloads (licence_id, downloaded_at);
      CREATE TRIGGER content_downloads_append_only BEFORE UPDATE OR DELETE ON content_downloads
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Inbox of verified Stripe webhooks, unique by Stripe's event ID: a redelivery is a no-op.
      CREATE TABLE stripe_events (
        id text PRIMARY KEY,
        type text NOT NULL,
        livemode boolean NOT NULL DEFAULT false,
        stripe_created_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','processed','ignored','failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      );
      CREATE INDEX stripe_events_status_idx ON stripe_events (status, received_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE stripe_events; DROP TABLE content_downloads; DROP TABLE licence_refunds;
      DROP TABLE licence_manifest_lines; DROP TABLE licences; DROP TABLE offer_works; DROP TABLE offer_tiers; DROP TABLE offers;
    `);
  }
}
