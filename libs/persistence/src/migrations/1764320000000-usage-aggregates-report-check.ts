import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * usage_aggregates → usage_reports: the per-row foreign key becomes a statement-level guarantee.
 * One report's commit inserts one aggregate per work (~100,000 rows for a large file) and the
 * foreign key checked each row on its own (~0.3–0.45 s of the commit, measured with EXPLAIN
 * ANALYZE); the AFTER INSERT statement trigger checks the distinct report IDs of the inserted rows
 * once. What the foreign key also guaranteed stays guaranteed: usage_reports rows are never
 * deleted (usage_reports_no_delete, already), never truncated and never change their ID (both
 * refused here), and usage_aggregates is append-only (usage_aggregates_append_only).
 * usage_rejections keeps its foreign key (a few rows per report).
 */
export class UsageAggregatesReportCheck1764320000000 implements MigrationInterface {
  name = 'UsageAggregatesReportCheck1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE usage_aggregates DROP CONSTRAINT usage_aggregates_report_id_fkey;
      CREATE FUNCTION usage_aggregates_reports_exist() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE missing uuid;
      BEGIN
        SELECT i.report_id INTO missing
          FROM (SELECT DISTINCT report_id FROM inserted) i
         WHERE NOT EXISTS (SELECT 1 FROM usage_reports r WHERE r.id = i.report_id)
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'usage_aggregates: report % does not exist', missing USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER usage_aggregates_reports_exist AFTER INSERT ON usage_aggregates
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION usage_aggregates_reports_exist();
      CREATE TRIGGER usage_reports_no_truncate BEFORE TRUNCATE ON usage_reports
        FOR EACH STATEMENT EXECUTE FUNCTION forbid_mutation();
      CREATE TRIGGER usage_reports_id_fixed BEFORE UPDATE OF id ON usage_reports
        FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION forbid_mutation();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER usage_reports_id_fixed ON usage_reports;
      DROP TRIGGER usage_reports_no_truncate ON usage_reports;
      DROP TRIGGER usage_aggregates_reports_exist ON usage_aggregates;
      DROP FUNCTION usage_aggregates_reports_exist();
      ALTER TABLE usage_aggregates ADD CONSTRAINT usage_aggregates_report_id_fkey FOREIGN KEY (report_id) REFERENCES usage_reports(id);
    `);
  }
}
