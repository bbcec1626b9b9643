import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * TypeORM options for every process (API, worker, CLI, tests). The schema comes only from the
 * migrations listed in `migrations/index.ts`: `synchronize` stays off.
 */
export function dataSourceOptions(url: string, poolSize = 10, applicationName = 'fairshare'): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName,
    extra: { max: poolSize },
  };
}

export function createDataSource(url: string, poolSize?: number, applicationName?: string): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize, applicationName));
}
