import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalogue search at scale (issue 3, docs/benchmarks.md "Catalogue search"): one GIN index over
 * the listed works that holds the full-text terms AND the selective filter values (media type,
 * language, tags; media type through btree_gin), so a public search such as
 * `q=river&mediaType=text` intersects posting lists inside the index instead of fetching every
 * work that contains the word from the heap to test its media type. The boolean use filters stay
 * heap filters: the planner folds `allow_train = true` to a bare column, which it matches to
 * btree indexes only.
 *
 * Statistics on lower(language): the planner ignores expression statistics of partial indexes,
 * and without them it guesses 0.5 % for any language.
 *
 * btree_gin is a trusted contrib extension (PostgreSQL 13+): a database owner may create it.
 */
export class CatalogueSearch1763800050000 implements MigrationInterface {
  name = 'CatalogueSearch1763800050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS btree_gin;
      CREATE INDEX works_listed_search_idx ON works USING gin (search, media_type, lower(language), tags) WHERE listed;
      CREATE STATISTICS works_language_stats ON (lower(language)) FROM works;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS works_language_stats; DROP INDEX works_listed_search_idx;`);
  }
}
