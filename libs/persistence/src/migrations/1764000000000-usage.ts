import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage area (issue 5): reports, accepted units per (report, licence, period, work) partitioned by
 * period, line rejections, and the UNLOGGED staging table the worker COPYs files into.
 */
export class Usage1764000000000 implements MigrationInterface {
  name = 'Usage1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usage_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        licence_id uuid NOT NULL REFERENCES licences(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        period text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        -- json: sent through POST /v1/usage-reports (stored as NDJSON); csv / ndjson: uploaded files.
        source text NOT NULL CHECK (source IN ('json','csv','ndjson')),
        storage_key text NOT NULL,
        file_bytes bigint NOT NULL CHECK (file_bytes >= 0),
        file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
        supersedes_id uuid REFERENCES usage_reports(id),
        superseded_by_id uuid REFERENCES usage_reports(id),
        superseded_at timestamptz,
        status text NOT NULL DEFAULT 'received' CHECK (status IN ('received','processing','processed','failed')),
        late boolean NOT NULL DEFAULT false,
        lines_read bigint NOT NULL DEFAULT 0,
        line_count bigint,
        accepted_count bigint,
        rejected_count bigint,
        -- numeric: a sum of up to millions of lines of up to 10^15 units each can exceed bigint.
        accepted_units numeric(38,0),
        work_count bigint,
        model_ids text[],
        error_code text,
        error_message text,
        -- Token of the current processing attempt: only that attempt may stage and commit.
        processing_run_id uuid,
        attempts integer NOT NULL DEFAULT 0,
        submitted_by_type text NOT NULL CHECK (submitted_by_type IN ('user','api_key')),
        submitted_by_id uuid NOT NULL,
        received_at timestamptz NOT NULL,
        processing_started_at timestamptz,
        processed_at timestamptz,
        failed_at timestamptz,
        CHECK (supersedes_id IS DISTINCT FROM id),
        CHECK (status <> 'processed' OR (line_count = accepted_count + rejected_count AND processed_at IS NOT NULL)),
        CHECK (status <> 'failed' OR error_code IS NOT NULL),
        CHECK ((superseded_by_id IS NULL) = (superseded_at IS NULL)),
        CHECK (superseded_by_id IS NULL OR status = 'processed')
      );
      CREATE INDEX usage_reports_licence_period_idx ON usage_reports (licence_id, period);
      CREATE INDEX usage_reports_organisation_idx ON usage_reports (organisation_id, received_at DESC, id DESC);
      CREATE INDEX usage_reports_processed_at_idx ON usage_reports (processed_at) WHERE processed_at IS NOT NULL;
      CREATE INDEX usage_reports_superseded_at_idx ON usage_reports (superseded_at) WHERE superseded_at IS NOT NULL;
      -- At most one live report supersedes a given report (a failed attempt frees the slot).
      CREATE UNIQUE INDEX usage_reports_one_superseder ON usage_reports (supersedes_id)
        WHERE supersedes_id IS NOT NULL AND status <> 'failed';
      CREATE TRIGGER usage_reports_no_delete BEFORE DELETE ON usage_reports
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Accepted units, summed per work within a report. One partition per period (created on
      -- demand by the ingestion), so reading or re-computing a period touches only its partition.
      CREATE TABLE usage_aggregates (
        period text NOT NULL,
        report_id uuid NOT NULL REFERENCES usage_reports(id),
        licence_id uuid NOT NULL,
        work_id uuid NOT NULL,
        units numeric(38,0) NOT NULL CHECK (units > 0),
        line_count integer NOT NULL CHECK (line_count > 0),
        PRIMARY KEY (period, report_id, work_id)
      ) PARTITION BY LIST (period);
      CREATE INDEX usage_aggregates_licence_idx ON usage_aggregates (period, licence_id);
      CREATE TRIGGER usage_aggregates_append_only BEFORE UPDATE OR DELETE ON usage_aggregates
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      CREATE TABLE usage_rejections (
        report_id uuid NOT NULL REFERENCES usage_reports(id),
        line_no bigint NOT NULL,
        code text NOT NULL CHECK (code IN ('MALFORMED_LINE','INVALID_UNITS','UNKNOWN_WORK','WORK_NOT_LICENSED','USE_NOT_LICENSED','PERIOD_OUTSIDE_TERM')),
        message text NOT NULL,
        PRIMARY KEY (report_id, line_no)
      );
      CREATE TRIGGER usage_rejections_append_only BEFORE UPDATE OR DELETE ON usage_rejections
        FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

      -- Scratch space of the ingestion (not the ledger of anything): one processing attempt COPYs
      -- its lines here, tagged by its run ID; the final transaction reads them set-based; the rows
      -- are deleted afterwards. UNLOGGED: a database crash empties it, and the retry starts over.
      -- report_id and run_id default to session settings so the COPY stream carries only line data.
      CREATE UNLOGGED TABLE usage_staging (
        report_id uuid NOT NULL DEFAULT current_setting('fairshare.usage_report_id')::uuid,
        run_id uuid NOT NULL DEFAULT current_setting('fairshare.usage_run_id')::uuid,
        line_no bigint NOT NULL,
        work_id uuid,
        content_hash text,
        units bigint,
        use text,
        model_id text,
        error_code text,
        error_message text
      );
      CREATE INDEX usage_staging_run_idx ON usage_staging (run_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE usage_staging; DROP TABLE usage_rejections; DROP TABLE usage_aggregates; DROP TABLE usage_reports;`);
  }
}
