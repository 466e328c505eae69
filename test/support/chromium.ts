import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's chromium package, the browser the dashboard tests drive through playwright-core. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];

export function chromiumPath(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

/**
 * The browser's path, installing Debian's `chromium` with apt-get when it is missing (as the
 * devstack does for ClickHouse). Throws with the command to run when that is not possible.
 */
export function ensureChromium(log: (line: string) => void = () => undefined): string {
  const found = chromiumPath();
  if (found) return found;
  log('installing Debian chromium with apt-get (for the dashboard tests)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { env, encoding: 'utf8' });
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { env, encoding: 'utf8' });
    result = spawnSync('apt-get', ['install', '-y', '-q', 'chromium'], { env, encoding: 'utf8' });
  }
  const installed = chromiumPath();
  if (!installed) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`Chromium is needed for the dashboard tests. Run as root: apt-get update && apt-get install -y chromium\n${tail}`);
  }
  return installed;
}
