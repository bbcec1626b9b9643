import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * usage_staging holds groups instead of lines: the worker sums the well-formed lines of a file
 * per (reference, use) while parsing and stages one row per group, with the line numbers of its
 * lines (so that a rejected group still yields one rejection per line); each line the parser
 * rejected is a row of its own (one line number, its code and message). Measured on 1,000,000
 * lines over 100,000 works: ~100,000 staged rows instead of 1,000,000, and the final statement
 * joins and sums those instead of every line (docs/benchmarks.md, "Usage ingestion"). Rows of
 * interrupted runs are scratch (a retry redoes the file under a new run): not carried over.
 */
export class UsageStagingGroups1764310000000 implements MigrationInterface {
  name = 'UsageStagingGroups1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE usage_staging;
      CREATE TABLE usage_staging (
        report_id uuid NOT NULL,
        run_id uuid NOT NULL,
        line_nos text NOT NULL, -- an array literal of bigint (cast only for rejected rows: parsing every number cost ~0.2 s per million lines)
        work_id uuid,
        content_hash text,
        use text,
        units numeric(38,0),
        line_count bigint NOT NULL,
        error_code text,
        error_message text
      ) PARTITION BY LIST (run_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE usage_staging;
      CREATE TABLE usage_staging (
        report_id uuid NOT NULL,
        run_id uuid NOT NULL,
        line_no bigint NOT NULL,
        work_id uuid,
        content_hash text,
        units bigint,
        use text,
        model_id text,
        error_code text,
        error_message text
      ) PARTITION BY LIST (run_id);
    `);
  }
}
