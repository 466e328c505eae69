/**
 * `npm start`: sets up and runs the whole thing.
 *   - No cluster configured (no KAFKA_BROKERS in the environment or in .env): starts the devstack
 *     (ZooKeeper ×3, Kafka ×3, ClickHouse) and a demo workload, and monitors that.
 *   - A cluster configured: starts no devstack and monitors it.
 * Then builds and starts the apps (processor, gateway, alerter, anomaly detector, agent), waits for their /health, prints the
 * dashboard URL and runs until Ctrl-C, when it stops everything it started.
 * `--keep-devstack` leaves the devstack running on exit; `--exit-when-ready` is for smoke tests.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devstackKafkaLogDirs } from '../devstack/paths';
import { stackDir } from '../devstack/topology';
import { unreachableDevstackEndpoints } from '../devstack/reachability';
import { devstack, run, say, tsx } from './run-step';

import { AppName, DEFAULT_HTTP_PORTS, envName } from '../libs/config/src/app-config';

const APPS: AppName[] = ['processor', 'gateway', 'alerter', 'anomaly-detector', 'agent'];
const logDir = join(stackDir, 'app-logs');
const children = new Map<string, ChildProcess>();
let stopping = false;

function httpPort(app: AppName): number {
  return Number(process.env[`${envName(app)}_HTTP_PORT`] ?? DEFAULT_HTTP_PORTS[app]);
}

function startChild(name: string, command: string, args: string[]): ChildProcess {
  mkdirSync(logDir, { recursive: true });
  const log = openSync(join(logDir, `${name}.log`), 'a');
  const child = spawn(command, args, { stdio: ['ignore', log, log], env: process.env });
  children.set(name, child);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    say(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); last lines of ${join(logDir, `${name}.log`)}:`);
    process.stdout.write(tail(join(logDir, `${name}.log`), 15));
    void shutdown(1);
  });
  return child;
}

function tail(path: string, lines: number): string {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').slice(-lines - 1).join('\n') + '\n' : '';
}

async function waitHealthy(app: AppName, timeoutMs: number): Promise<void> {
  const url = `http://127.0.0.1:${httpPort(app)}/health`;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = JSON.stringify(((await response.json()) as { error?: unknown }).error ?? response.status);
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${app} was not healthy after ${timeoutMs / 1000} s (${url}: ${last}); see ${join(logDir, `${app}.log`)}`);
}

let startedDevstack = false;
const keepDevstack = process.argv.includes('--keep-devstack');

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    const exits = [...children.values()].map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))));
    for (const child of children.values()) child.kill('SIGTERM');
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 15000))]);
    if (startedDevstack && !keepDevstack) await run('devstack: stopping', ...devstack('down')).catch(() => undefined);
    else if (startedDevstack) say('devstack left running: "npm run devstack down" stops it');
  }
  process.exit(code);
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const external = Boolean(process.env.KAFKA_BROKERS || process.env.MONITOR_KAFKA_BROKERS);
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  if (external) {
    say(`cluster configured (KAFKA_BROKERS=${process.env.KAFKA_BROKERS ?? process.env.MONITOR_KAFKA_BROKERS}): starting no devstack`);
  } else {
    // The demo on this machine is open; a configured deployment must set GATEWAY_API_KEYS (the gateway says so).
    if (!process.env.GATEWAY_API_KEYS) process.env.GATEWAY_AUTH ??= 'none';
    // The agent runs on the devstack's host: it reads the disk under the brokers' log directories.
    process.env.MONITOR_KAFKA_LOG_DIRS ??= devstackKafkaLogDirs();
    await run('devstack: checking Java, Maven jars and ClickHouse', ...devstack('install'));
    const wasRunning = (await unreachableDevstackEndpoints()).length === 0;
    await run('devstack: starting ZooKeeper ×3, Kafka ×3, ClickHouse', ...devstack('up'));
    startedDevstack = !wasRunning; // a devstack that was already running is left running
  }
  await run('building the apps', 'npm', ['run', '--silent', 'build']);

  for (const app of APPS) startChild(app, process.execPath, [join('dist', 'apps', app, 'src', 'main.js')]);
  say(`starting ${APPS.join(', ')} (logs in ${logDir})`);
  await Promise.all(APPS.map((app) => waitHealthy(app, 120000).then(() => say(`${app} healthy on :${httpPort(app)}`))));

  if (!external) {
    startChild('demo-workload', tsx, ['devstack/demo-workload.ts']);
    say('demo workload started: 4 topics, 5 consumer groups (demo-slow-reporting lags on purpose)');
  }

  say(`Doflamingo is running. Dashboard: http://localhost:${httpPort('gateway')}/   Press Ctrl-C to stop.`);
  if (process.argv.includes('--exit-when-ready')) await shutdown(0);
}

main().catch((error: Error) => {
  process.stderr.write(`npm start stopped: ${error.message}\n`);
  void shutdown(1);
});
