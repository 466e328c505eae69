import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';

/**
 * Where `npm run build` puts the dashboard (Vite, apps/dashboard): `dist/dashboard` in the
 * repository. The gateway runs from `dist/apps/gateway/src` (built) or `apps/gateway/src` (tests
 * on the sources), so both neighbours are tried.
 */
export function dashboardDirectory(): string | undefined {
  const candidates = [join(__dirname, '..', '..', '..', '..', 'dashboard'), join(__dirname, '..', '..', '..', '..', 'dist', 'dashboard')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * Serves the dashboard build as static files (index.html at `/`, hashed assets cached for a year,
 * the panel script for embedding). Express static middleware runs before Nest's routes but only
 * answers for files that exist, so /health, /api, /metrics and /ws are untouched.
 */
export function serveDashboard(nest: INestApplication, dir: string | null | undefined = dashboardDirectory()): void {
  if (!dir) return;
  (nest as NestExpressApplication).useStaticAssets(dir, {
    index: 'index.html',
    fallthrough: true,
    setHeaders: (res, path) => {
      if (/[\\/]assets[\\/]/.test(path)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      else res.setHeader('Cache-Control', 'no-cache');
    },
  });
}
