// The data source the TypeORM CLI uses (`npm run migration:generate -- libs/persistence/src/migrations/Name`).
import { loadConfig } from '@fairshare/config';
import { createDataSource } from './data-source';

export default createDataSource(loadConfig().DATABASE_URL, 2, 'fairshare-cli');
