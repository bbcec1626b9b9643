import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1763700000000 implements MigrationInterface {
  name = 'Foundation1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Append-only tables get this trigger: corrections are new rows, never UPDATE or DELETE.
      CREATE FUNCTION forbid_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'table % is append-only (% refused)', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$;

      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        slug text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}'
          CHECK (roles <@ ARRAY['creator','licensee','finance','admin']::text[]),
        organisation_id uuid REFERENCES organisations(id),
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (NOT ('licensee' = ANY(roles)) OR organisation_id IS NOT NULL)
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE INDEX users_organisation_idx ON users (organisation_id);

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        created_by uuid NOT NULL REFERENCES users(id),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX api_keys_organisation_idx ON api_keys (organisation_id);

      -- Joining an existing organisation takes an invitation from a member (naming it is not enough).
      CREATE TABLE organisation_invites (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        created_by uuid NOT NULL REFERENCES users(id),
        code_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_by uuid REFERENCES users(id),
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL CHECK (actor_type IN ('user','api_key','system','anonymous')),
        actor_id uuid,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text,
        request_id text,
        details jsonb
      );
      CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id);
      CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, occurred_at);
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Idempotency-Key of money-moving POSTs: the key and a hash of the request, stored in the
      -- same transaction as the effect; a replay answers the stored response.
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        response_status integer NOT NULL,
        response_body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      );

      -- The controllable clock for tests and demos (one row). frozen_at null = real time.
      CREATE TABLE test_clock (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        frozen_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO test_clock (id) VALUES (true);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE test_clock; DROP TABLE idempotency_keys; DROP TABLE audit_log; DROP TABLE api_keys; DROP TABLE organisation_invites;
      DROP TABLE refresh_tokens; DROP TABLE users; DROP TABLE organisations; DROP FUNCTION forbid_mutation();
    `);
  }
}
