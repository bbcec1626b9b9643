import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Royalties (issue 6): runs, their chunks, the per-(period, licence) figures and the statement
 * lines. Lines carry no foreign keys to other areas' tables (licences, works, consent records):
 * they record what was computed and must outlive any change there, and a run writes millions of
 * them. Once a run is posted, the database refuses any change to it or to its figures.
 */
export class Royalties1764100000000 implements MigrationInterface {
  name = 'Royalties1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE royalty_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued','computing','computed','approved','posted','failed')),
        rules_version text NOT NULL DEFAULT '1.0',
        -- Bumped by every re-computation: jobs of an older generation do nothing.
        generation integer NOT NULL DEFAULT 1 CHECK (generation >= 1),
        chunks_total integer,
        -- Per currency: {"EUR":{"recognised":"…","fees":"…","distributed":"…","adjustments":"…"}}.
        totals jsonb,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        recomputed_by uuid REFERENCES users(id),
        recomputed_at timestamptz,
        computing_started_at timestamptz,
        computed_at timestamptz,
        approved_by uuid REFERENCES users(id),
        approved_at timestamptz,
        posted_at timestamptz,
        journal_entry_id uuid REFERENCES journal_entries(id),
        error_code text,
        error_message text,
        CONSTRAINT royalty_runs_period_key UNIQUE (period),
        -- Four eyes: whoever started or re-computed a run cannot approve it.
        CONSTRAINT royalty_runs_four_eyes CHECK (approved_by IS NULL OR (approved_by <> created_by AND approved_by IS DISTINCT FROM recomputed_by)),
        CHECK (status NOT IN ('approved','posted') OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
      );

      CREATE TABLE royalty_run_chunks (
        run_id uuid NOT NULL REFERENCES royalty_runs(id),
        generation integer NOT NULL,
        chunk_key text NOT NULL,
        licence_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done')),
        line_count bigint,
        completed_at timestamptz,
        PRIMARY KEY (run_id, generation, chunk_key)
      );

      -- Rule 3 figures per (run, original period, licence): the run's own period, and the
      -- differences posted for earlier periods (is_adjustment).
      CREATE TABLE royalty_licence_totals (
        run_id uuid NOT NULL REFERENCES royalty_runs(id),
        period text NOT NULL,
        original_period text NOT NULL,
        licence_id uuid NOT NULL,
        currency char(3) NOT NULL,
        recognised bigint NOT NULL,
        fee bigint NOT NULL,
        is_adjustment boolean NOT NULL,
        -- What the rules read for (original period, licence) when this was computed: a later run
        -- re-computes an approved period only when it changed.
        inputs_digest text NOT NULL,
        PRIMARY KEY (run_id, licence_id, original_period),
        CHECK (is_adjustment = (original_period <> period))
      );
      CREATE INDEX royalty_licence_totals_licence_idx ON royalty_licence_totals (licence_id, original_period);

      CREATE TABLE royalty_lines (
        run_id uuid NOT NULL,
        period text NOT NULL,
        original_period text NOT NULL,
        licence_id uuid NOT NULL,
        work_id uuid NOT NULL,
        holder_key uuid NOT NULL,
        holder_kind text NOT NULL CHECK (holder_kind IN ('creator','invitation')),
        currency char(3) NOT NULL,
        units numeric(38,0) NOT NULL,
        amount bigint NOT NULL,
        consent_record_id uuid NOT NULL,
        is_adjustment boolean NOT NULL,
        PRIMARY KEY (run_id, licence_id, original_period, work_id, holder_key)
      );
      CREATE INDEX royalty_lines_holder_idx ON royalty_lines (holder_key, run_id);

      -- A posted run is final: no change to the run, its figures or its lines.
      CREATE FUNCTION royalty_forbid_posted_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'royalty_runs' THEN
          IF OLD.status = 'posted' OR TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'royalty run % is posted and cannot change', OLD.id USING ERRCODE = '23001';
          END IF;
          RETURN NEW;
        END IF;
        IF EXISTS (SELECT 1 FROM old_rows o JOIN royalty_runs r ON r.id = o.run_id WHERE r.status IN ('approved','posted')) THEN
          RAISE EXCEPTION 'rows of an approved royalty run cannot change (%)', TG_TABLE_NAME USING ERRCODE = '23001';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER royalty_runs_posted_final BEFORE UPDATE OR DELETE ON royalty_runs
        FOR EACH ROW EXECUTE FUNCTION royalty_forbid_posted_change();
      CREATE TRIGGER royalty_lines_posted_final_d AFTER DELETE ON royalty_lines
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION royalty_forbid_posted_change();
      CREATE TRIGGER royalty_lines_posted_final_u AFTER UPDATE ON royalty_lines
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION royalty_forbid_posted_change();
      CREATE TRIGGER royalty_licence_totals_posted_final_d AFTER DELETE ON royalty_licence_totals
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION royalty_forbid_posted_change();
      CREATE TRIGGER royalty_licence_totals_posted_final_u AFTER UPDATE ON royalty_licence_totals
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION royalty_forbid_posted_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE royalty_lines; DROP TABLE royalty_licence_totals; DROP TABLE royalty_run_chunks; DROP TABLE royalty_runs;
      DROP FUNCTION royalty_forbid_posted_change();
    `);
  }
}
