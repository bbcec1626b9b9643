import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, ConfigModule, loadConfig } from '@fairshare/config';
import { IdentityModule, UserAdminService } from '@fairshare/identity';
import { createDataSource, PersistenceModule } from '@fairshare/persistence';
import { PlatformModule } from '@fairshare/platform';
import { Module } from '@nestjs/common';

@Module({ imports: [ConfigModule.forRoot(), PersistenceModule.forRoot('fairshare-cli'), PlatformModule, IdentityModule] })
class CliModule {}

const USAGE = `fairshare CLI
  migrate            apply pending migrations
  migrate:revert     revert the last migration
  migrate:status     list applied and pending migrations
  admin:ensure       create the first admin from ADMIN_EMAIL / ADMIN_PASSWORD if there is no admin`;

async function main(command: string | undefined): Promise<number> {
  const config = loadConfig();
  switch (command) {
    case 'migrate':
    case 'migrate:revert':
    case 'migrate:status': {
      const ds = createDataSource(config.DATABASE_URL, 1, 'fairshare-cli');
      await ds.initialize();
      try {
        if (command === 'migrate') {
          const done = await ds.runMigrations({ transaction: 'each' });
          process.stdout.write(done.length ? done.map((m) => `applied ${m.name}\n`).join('') : 'schema up to date\n');
        } else if (command === 'migrate:revert') {
          await ds.undoLastMigration({ transaction: 'each' });
          process.stdout.write('reverted the last migration\n');
        } else {
          const pending = await ds.showMigrations();
          process.stdout.write(pending ? 'pending migrations exist\n' : 'schema up to date\n');
        }
      } finally {
        await ds.destroy();
      }
      return 0;
    }
    case 'admin:ensure': {
      const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
      try {
        const result = await app.get(UserAdminService).ensureAdmin();
        if (result.created) process.stdout.write(`ADMIN_CREATED ${result.email}\n`);
        else process.stdout.write('admin exists (or ADMIN_EMAIL/ADMIN_PASSWORD unset): nothing to do\n');
      } finally {
        await app.close();
      }
      return 0;
    }
    default:
      process.stderr.write(USAGE + '\n');
      return command ? 64 : 0;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `${(e as Error).stack ?? String(e)}\n`);
    process.exit(e instanceof ConfigError ? 78 : 1);
  },
);
