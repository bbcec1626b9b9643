import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TypeORM's own bookkeeping table, which its migration generator reads once the schema has
 * generated columns (works.listed, works.search). Our migrations are hand-written SQL, so nothing
 * else creates it; without it `npm run migration:generate` fails.
 */
export class TypeormMetadata1764300000000 implements MigrationInterface {
  name = 'TypeormMetadata1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS typeorm_metadata (
      type varchar NOT NULL, database varchar, schema varchar, "table" varchar, name varchar, value text
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS typeorm_metadata`);
  }
}
