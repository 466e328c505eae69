/**
 * `npm test`: everything a fresh machine needs, then every test.
 *   1. devstack jars (Maven), ClickHouse and Chromium (apt) when missing
 *   2. type check and build (integration tests start the built apps)
 *   3. the devstack, unless it is already running (then it is left as it was found)
 *   4. unit tests, then integration tests against the real servers
 * Ends with one summary line, "tests: N passed, N failed", and a non-zero exit on any failure.
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { unreachableDevstackEndpoints } from '../devstack/reachability';
import { ensureChromium } from '../test/support/chromium';
import { devstack, run, say } from './run-step';

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTotalTestSuites: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites: number;
}

async function jest(project: 'unit' | 'integration', extra: string[]): Promise<JestSummary> {
  mkdirSync('test-results', { recursive: true });
  const outputFile = `test-results/${project}.json`;
  const args = ['--selectProjects', project, '--json', `--outputFile=${outputFile}`, ...extra];
  // kafkajs keeps reconnect timers alive after a test's clients disconnect; don't let them hold the run.
  if (project === 'integration') args.push('--runInBand', '--forceExit');
  await run(`${project} tests`, 'node_modules/.bin/jest', args).catch((error: Error) => say(error.message));
  try {
    return JSON.parse(readFileSync(outputFile, 'utf8')) as JestSummary;
  } catch {
    // Jest died before writing results: count it as a failure rather than as "no tests".
    return { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, numTotalTestSuites: 0, numFailedTestSuites: 1, numRuntimeErrorTestSuites: 1 };
  }
}

async function main(): Promise<number> {
  const jestArgs = process.argv.slice(2);
  await run('devstack: checking Java, Maven jars and ClickHouse', ...devstack('install', '--profile', 'all'));
  try {
    ensureChromium(say); // the dashboard tests drive Debian's chromium
  } catch (error) {
    say((error as Error).message); // the dashboard tests then fail and say the same
  }
  await run('type check', 'npm', ['run', '--silent', 'typecheck']);
  await run('build', 'npm', ['run', '--silent', 'build']);

  const unit = await jest('unit', jestArgs);

  const wasRunning = (await unreachableDevstackEndpoints()).length === 0;
  if (wasRunning) say('devstack already running: using it and leaving it up');
  else await run('devstack: starting ZooKeeper ×3, Kafka ×3, ClickHouse', ...devstack('up'));

  let integration: JestSummary;
  try {
    integration = await jest('integration', jestArgs);
  } finally {
    if (!wasRunning) await run('devstack: stopping what this run started', ...devstack('down')).catch((e: Error) => say(e.message));
  }

  const passed = unit.numPassedTests + integration.numPassedTests;
  const failed =
    unit.numFailedTests + integration.numFailedTests + unit.numRuntimeErrorTestSuites + integration.numRuntimeErrorTestSuites;
  const skipped = unit.numPendingTests + integration.numPendingTests;
  say(`unit: ${unit.numPassedTests} passed, integration: ${integration.numPassedTests} passed`);
  process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`npm test stopped: ${error.message}\n`);
    process.exit(1);
  },
);
