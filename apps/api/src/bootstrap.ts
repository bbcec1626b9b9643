import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { static as serveStatic } from 'express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@fairshare/config';
import { AppModule } from './app.module';
import { globalValidationPipe } from './http/validation.pipe';

/** Paths of the API itself: never files of the portal. */
const API_PATH = /^\/(v1|docs|health|admin|\.well-known)(\/|$|-)/;

export const PORTAL_DIST = join(__dirname, '..', '..', '..', '..', 'apps', 'portal', 'dist');
/** The built portal, from the build (dist/apps/api/src → PORTAL_DIST) or from the sources (apps/api/src, as in tests). */
const portalDist = (): string | undefined => [PORTAL_DIST, join(__dirname, '..', '..', 'portal', 'dist')].find((d) => existsSync(join(d, 'index.html')));

export function openApiDocument(app: INestApplication) {
  const doc = new DocumentBuilder()
    .setTitle('Fairshare API')
    .setDescription('Licensing marketplace and royalty engine for AI training data. Amounts are strings of digits in minor units.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, doc);
}

/** Everything the HTTP app needs besides its modules; shared by main.ts and the tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'script-src': ["'self'"],
          'form-action': ["'self'", 'http:', 'https:'],
        },
      },
    }),
  );
  app.enableCors({ origin: config.corsOrigins.length ? config.corsOrigins : false, credentials: false, exposedHeaders: ['X-Request-Id', 'Retry-After'] });
  app.useBodyParser('json', { limit: '4mb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '64kb' });
  app.useGlobalPipes(globalValidationPipe());
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  const portal = portalDist();
  if (portal) {
    // The portal's files, looked up (one fs.stat) only for paths that are not the API's.
    const assets = serveStatic(portal, { index: false, maxAge: '1h' });
    app.use((req: Request, res: Response, next: NextFunction) => (API_PATH.test(req.path) ? next() : assets(req, res, next)));
    // Single-page app: any other GET that is not the API answers index.html.
    const index = join(portal, 'index.html');
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || API_PATH.test(req.path)) return next();
      if (!(req.headers.accept ?? '').includes('text/html')) return next();
      res.sendFile(index);
    });
  }
}

export async function createApiApp(config?: AppConfig, options: { logStream?: Writable } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), { rawBody: true, bufferLogs: true });
  configureApp(app, app.get(AppConfig));
  return app;
}
