import { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalogue area (issue 3): creators, catalogues, works, consent, splits, invitations, imports. */
export class Catalogue1763800000000 implements MigrationInterface {
  name = 'Catalogue1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- Creator ID = user ID.
      CREATE TABLE creators (
        id uuid PRIMARY KEY REFERENCES users(id),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
        country text CHECK (country ~ '^[A-Z]{2}$'),
        payout_currency text CHECK (payout_currency ~ '^[A-Z]{3}$'),
        bio text CHECK (length(bio) <= 4000),
        links text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE catalogues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES creators(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX catalogues_owner_idx ON catalogues (owner_id);

      CREATE TABLE works (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        catalogue_id uuid NOT NULL REFERENCES catalogues(id),
        owner_id uuid NOT NULL REFERENCES creators(id),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
        media_type text NOT NULL CHECK (media_type IN ('text','image','audio','video','code','dataset','other')),
        language text NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
        identifiers jsonb NOT NULL DEFAULT '{}',
        content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
        size_bytes bigint CHECK (size_bytes >= 0),
        tags text[] NOT NULL DEFAULT '{}',
        description text CHECK (length(description) <= 10000),
        source_url text,
        -- active | disputed (a hash claimed by two creators) | rejected (lost or merged in a dispute)
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disputed','rejected')),
        storage_key text,
        -- Current consent, denormalised from the latest consent record in the same transaction.
        consent_record_id uuid,
        allow_train boolean NOT NULL DEFAULT false,
        allow_fine_tune boolean NOT NULL DEFAULT false,
        allow_retrieval boolean NOT NULL DEFAULT false,
        allow_evaluation boolean NOT NULL DEFAULT false,
        allow_commercial boolean NOT NULL DEFAULT false,
        allow_collective boolean NOT NULL DEFAULT false,
        excluded_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        -- Public = shown to licensees and the public: some use allowed and not disputed.
        listed boolean GENERATED ALWAYS AS (
          status = 'active' AND (allow_train OR allow_fine_tune OR allow_retrieval OR allow_evaluation)
        ) STORED,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english'::regconfig, title), 'A') ||
          setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')
        ) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- One claim of a content per catalogue: imports and re-imports dedupe on it.
        CONSTRAINT works_catalogue_hash_key UNIQUE (catalogue_id, content_hash)
      );
      CREATE INDEX works_hash_idx ON works (content_hash);
      CREATE INDEX works_owner_idx ON works (owner_id, created_at DESC, id DESC);
      CREATE INDEX works_catalogue_idx ON works (catalogue_id, created_at DESC, id DESC);
      CREATE INDEX works_listed_idx ON works (created_at DESC, id DESC) WHERE listed;
      CREATE INDEX works_search_idx ON works USING gin (search);
      CREATE INDEX works_tags_idx ON works USING gin (tags);
      CREATE INDEX works_disputed_idx ON works (content_hash) WHERE status = 'disputed';

      -- Append-only: a change of mind is a new record; previous_id chains the history.
      CREATE TABLE consent_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_id uuid NOT NULL REFERENCES works(id),
        actor_id uuid REFERENCES users(id),
        created_at timestamptz NOT NULL,
        allow_train boolean NOT NULL,
        allow_fine_tune boolean NOT NULL,
        allow_retrieval boolean NOT NULL,
        allow_evaluation boolean NOT NULL,
        allow_commercial boolean NOT NULL,
        allow_collective boolean NOT NULL,
        excluded_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        previous_id uuid REFERENCES consent_records(id),
        bulk_id uuid,
        UNIQUE (previous_id)
      );
      CREATE INDEX consent_records_work_idx ON consent_records (work_id, created_at, id);
      CREATE INDEX consent_records_bulk_idx ON consent_records (bulk_id) WHERE bulk_id IS NOT NULL;
      CREATE TRIGGER consent_records_append_only BEFORE UPDATE OR DELETE ON consent_records
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      ALTER TABLE works ADD CONSTRAINT works_consent_record_fk FOREIGN KEY (consent_record_id) REFERENCES consent_records(id);

      CREATE TABLE holder_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_id uuid NOT NULL REFERENCES works(id),
        email text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        invited_by uuid NOT NULL REFERENCES users(id),
        accepted_by uuid REFERENCES creators(id),
        accepted_at timestamptz,
        created_at timestamptz NOT NULL,
        CHECK ((accepted_by IS NULL) = (accepted_at IS NULL))
      );
      CREATE UNIQUE INDEX holder_invitations_work_email_key ON holder_invitations (work_id, lower(email));
      CREATE INDEX holder_invitations_accepted_idx ON holder_invitations (accepted_by) WHERE accepted_by IS NOT NULL;

      -- Versioned splits: a change is a new version with its effective time; history is kept.
      CREATE TABLE work_splits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        work_id uuid NOT NULL REFERENCES works(id),
        version integer NOT NULL CHECK (version >= 1),
        effective_at timestamptz NOT NULL,
        created_by uuid REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (work_id, version)
      );
      CREATE INDEX work_splits_effective_idx ON work_splits (work_id, effective_at DESC, version DESC);
      CREATE TABLE work_split_shares (
        split_id uuid NOT NULL REFERENCES work_splits(id),
        holder_creator_id uuid REFERENCES creators(id),
        holder_invitation_id uuid REFERENCES holder_invitations(id),
        share_bps integer NOT NULL CHECK (share_bps BETWEEN 1 AND 10000),
        CHECK ((holder_creator_id IS NULL) <> (holder_invitation_id IS NULL)),
        UNIQUE (split_id, holder_creator_id),
        UNIQUE (split_id, holder_invitation_id)
      );
      CREATE INDEX work_split_shares_creator_idx ON work_split_shares (holder_creator_id);
      CREATE TRIGGER work_splits_append_only BEFORE UPDATE OR DELETE ON work_splits
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER work_split_shares_append_only BEFORE UPDATE OR DELETE ON work_split_shares
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Shares of a split sum to exactly 10000 bps, checked at commit.
      CREATE FUNCTION check_split_total() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE total bigint;
      BEGIN
        SELECT coalesce(sum(share_bps), 0) INTO total FROM work_split_shares WHERE split_id = NEW.split_id;
        IF total <> 10000 THEN
          RAISE EXCEPTION 'split % shares sum to % bps, not 10000', NEW.split_id, total USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER work_split_shares_total AFTER INSERT ON work_split_shares
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_split_total();

      CREATE TABLE works_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        catalogue_id uuid NOT NULL REFERENCES catalogues(id),
        created_by uuid NOT NULL REFERENCES users(id),
        file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text NOT NULL,
        size_bytes bigint NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','processing','completed','failed')),
        -- Rows up to here are committed (created or rejected): a retried job resumes after it.
        rows_processed integer NOT NULL DEFAULT 0,
        rows_created integer NOT NULL DEFAULT 0,
        rows_rejected integer NOT NULL DEFAULT 0,
        error_code text,
        error_message text,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        completed_at timestamptz,
        CONSTRAINT works_imports_file_key UNIQUE (catalogue_id, file_sha256)
      );
      CREATE TABLE works_import_rejections (
        import_id uuid NOT NULL REFERENCES works_imports(id),
        row_no integer NOT NULL,
        code text NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (import_id, row_no)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE works_import_rejections; DROP TABLE works_imports;
      DROP TABLE work_split_shares; DROP FUNCTION check_split_total(); DROP TABLE work_splits; DROP TABLE holder_invitations;
      ALTER TABLE works DROP CONSTRAINT works_consent_record_fk; DROP TABLE consent_records;
      DROP TABLE works; DROP TABLE catalogues; DROP TABLE creators;
    `);
  }
}
