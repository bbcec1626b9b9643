import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from '@fairshare/config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nThe API did not start.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const app = await createApiApp(config);
  await app.listen(config.PORT, '0.0.0.0');
}

main().catch((e: unknown) => {
  process.stderr.write(`API failed to start: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
