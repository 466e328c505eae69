import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { Controller, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HomeController } from '../home.controller';
import { serveDashboard } from './dashboard-files';

@Controller('api/v1')
class ProbeController {
  @Get('ping')
  ping() {
    return { pong: true };
  }
}

async function appWith(dir: string | null): Promise<{ nest: INestApplication; base: string }> {
  const moduleRef = await Test.createTestingModule({ controllers: [HomeController, ProbeController] }).compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  serveDashboard(nest, dir);
  await nest.listen(0, '127.0.0.1');
  return { nest, base: `http://127.0.0.1:${(nest.getHttpServer().address() as AddressInfo).port}` };
}

describe('serving the dashboard build', () => {
  let dir: string;
  let nest: INestApplication | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
  });
  afterEach(async () => {
    await nest?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and hashed assets with a long cache, and leaves other routes alone', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>the dashboard</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = await appWith(dir);
    nest = app.nest;
    const home = await fetch(`${app.base}/`);
    expect(await home.text()).toContain('the dashboard');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${app.base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${app.base}/api/v1/ping`)).json()).toEqual({ pong: true });
    expect((await fetch(`${app.base}/nope.js`)).status).toBe(404);
  });

  it('without a build, / says how to build it', async () => {
    const app = await appWith(null);
    nest = app.nest;
    const home = await fetch(`${app.base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/npm run build/);
  });
});
