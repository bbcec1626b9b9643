import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Royalty runs in more chunks than licences (docs/benchmarks.md, "Royalty run"): a `usage`
 * licence's lines are computed in ranges of works, so that both workers share the largest
 * licences. Rule 4 (the largest remainder across all the licence's works) is computed once per
 * licence into `royalty_work_amounts`; each range then applies rule 5 to its works and writes
 * their lines. A chunk row with `parts` set is such a step: `part` 0 is the licence's rule 4 (no
 * job of its own: the first range to run does it, in its own transaction), 1..parts its ranges.
 * Work amounts are scratch of a run being computed: each range deletes its own when it writes
 * their lines, and a re-computation deletes them all.
 */
export class RoyaltyWorkRanges1764400000000 implements MigrationInterface {
  name = 'RoyaltyWorkRanges1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE royalty_run_chunks
        ADD COLUMN part smallint,
        ADD COLUMN parts smallint,
        ADD CONSTRAINT royalty_run_chunks_part_check CHECK ((part IS NULL AND parts IS NULL) OR (parts >= 1 AND part BETWEEN 0 AND parts));

      CREATE TABLE royalty_work_amounts (
        run_id uuid NOT NULL,
        licence_id uuid NOT NULL,
        work_id uuid NOT NULL,
        consent_record_id uuid NOT NULL,
        units numeric(38,0) NOT NULL,
        amount bigint NOT NULL,
        PRIMARY KEY (run_id, licence_id, work_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE royalty_work_amounts;
      ALTER TABLE royalty_run_chunks DROP CONSTRAINT royalty_run_chunks_part_check, DROP COLUMN part, DROP COLUMN parts;
    `);
  }
}
