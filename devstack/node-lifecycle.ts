/**
 * The life of one node's process: start it, wait until it is healthy (retrying failures that pass
 * by themselves), show its log when it does not come up, and stop it.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { cli, DevstackError } from './errors';
import { defaultProbeTimeoutMs, Health } from './health-checks';
import { fileSize, readSince, tailLines } from './log-files';
import { driverFor } from './nodes';
import { checkFourLetterWords, prepareZookeeper, runsWithFourLetterWords, standardFourLetterWords } from './nodes/zookeeper';
import { consoleLog, killMarkerFile } from './paths';
import {
  consoleStartPrefix,
  ownedPid,
  howItEnded,
  processState,
  removePidFile,
  sendSignal,
  spawnDetached,
  waitForExit,
} from './processes';
import { progress } from './progress';
import { seconds, sleep } from './timing';
import { NodeKind, NodeSpec } from './topology';

/** JVM starts are slow on small machines, Kafka's the slowest. */
export const startTimeoutMs: Record<NodeKind, number> = {
  zookeeper: 60_000,
  clickhouse: 30_000,
  kafka: 120_000,
  kraft: 150_000,
};

/** Nodes start group by group: a group's kinds start together, the next group once they are healthy. */
export const startGroups: NodeKind[][] = [['zookeeper', 'clickhouse'], ['kafka'], ['kraft']];

/** What one start may change from a node's standard configuration; a start without it restores the standard. */
export interface StartOptions {
  /** ZooKeeper only: the four-letter-word whitelist for this run, e.g. 'ruok,srvr' to see an agent cope without mntr. */
  fourLetterWords?: string;
}

const stopTimeoutMs = 20_000;
const maxStartAttempts = 3;

export async function runningPid(node: NodeSpec): Promise<number | undefined> {
  return ownedPid(node.name, driverFor(node.kind).marker(node));
}

export async function requireRunningPid(node: NodeSpec): Promise<number> {
  const pid = await runningPid(node);
  if (pid === undefined) throw new DevstackError(`${node.name} is not running: start it with \`${cli(`start ${node.name}`)}\``);
  return pid;
}

/**
 * The node's log tail (and console output, where the JVM reports fatal errors) for a failure message.
 * With `logOffset` (the log size when the process was started) only lines from this start count.
 */
async function logExcerpt(node: NodeSpec, logOffset?: number): Promise<string> {
  const logFile = driverFor(node.kind).logFile(node);
  const parts: string[] = [];
  const fresh = logOffset === undefined || (await fileSize(logFile)) > logOffset;
  const logTail = fresh ? await tailLines(logFile, 20) : undefined;
  parts.push(
    logTail && logTail.length > 0
      ? `Last ${logTail.length} lines of ${logFile}:\n${indent(logTail)}`
      : `Nothing new in ${logFile}.`,
  );
  const errorLog = driverFor(node.kind).errorLogFile?.(node);
  const errorTail = errorLog && (await tailLines(errorLog, 10));
  if (errorLog && errorTail && errorTail.length > 0) parts.push(`Last ${errorTail.length} lines of ${errorLog}:\n${indent(errorTail)}`);
  const consoleTail = lastRun(await tailLines(consoleLog(node), 50)).slice(-10);
  if (consoleTail.length > 0) {
    parts.push(`Last ${consoleTail.length} lines of ${consoleLog(node)}:\n${indent(consoleTail)}`);
  }
  return parts.join('\n');
}

/** The console lines of the latest start only. */
function lastRun(lines: string[] | undefined): string[] {
  if (!lines) return [];
  const start = lines.map((line) => line.startsWith(consoleStartPrefix)).lastIndexOf(true);
  return lines.slice(start + 1);
}

const indent = (lines: string[]) => lines.map((line) => `  ${line}`).join('\n');

class ProcessExited extends Error {}
class NotHealthyInTime extends DevstackError {}

/** Polls the node's health until it is healthy; throws with the log tail on timeout or exit. */
async function pollHealthy(node: NodeSpec, pid: number, deadline: number): Promise<Health> {
  const driver = driverFor(node.kind);
  const marker = driver.marker(node);
  let last: Health = { healthy: false, detail: 'no answer yet' };
  let nextNote = Date.now() + 15_000;
  for (;;) {
    const state = await processState(pid);
    if (state === 'gone' || (await ownedPid(node.name, marker)) !== pid) {
      // The exit event may trail the /proc change by a moment.
      await sleep(200);
      const ending = howItEnded(pid);
      throw new ProcessExited(`${node.name}'s process exited before it became healthy${ending ? ` (${ending})` : ''}.`);
    }
    if (state === 'running') {
      last = await driver.health(node, defaultProbeTimeoutMs);
      if (last.healthy) return last;
    } else {
      last = { healthy: false, detail: `the process is paused: \`${cli(`resume ${node.name}`)}\`` };
    }
    if (Date.now() >= deadline) {
      throw new NotHealthyInTime(`${node.name} did not become healthy in time (last check: ${last.detail ?? 'unhealthy'}).`);
    }
    if (Date.now() >= nextNote) {
      progress(`${node.name} … still waiting (${last.detail ?? 'unhealthy'})`);
      nextNote = Date.now() + 15_000;
    }
    await sleep(1_000);
  }
}

async function failureWithLogs(node: NodeSpec, error: unknown, logOffset?: number): Promise<DevstackError> {
  if (error instanceof DevstackError && !(error instanceof NotHealthyInTime)) return error;
  const headline = error instanceof Error ? error.message : String(error);
  return new DevstackError(
    `${headline}\n${await logExcerpt(node, logOffset)}\n` +
      `Next: fix what the log shows, then \`${cli(`start ${node.name}`)}\` (or \`${cli('down')}\` and \`${cli('up')}\`).`,
  );
}

/** Waits for an already running process to be healthy; on failure the error carries its log tail. */
export async function waitUntilHealthy(node: NodeSpec, pid: number, deadline: number): Promise<Health> {
  try {
    return await pollHealthy(node, pid, deadline);
  } catch (error) {
    throw await failureWithLogs(node, error);
  }
}

function describeHealth(health: Health): string {
  return health.role ? `up (${health.role})` : 'up';
}

/** After a SIGKILL some nodes must wait before a restart (e.g. for their old ZooKeeper session to expire). */
async function waitOutRecentKill(node: NodeSpec): Promise<void> {
  const rule = driverFor(node.kind).restartAfterKill;
  let killedAt: number | undefined;
  try {
    killedAt = Number(await readFile(killMarkerFile(node.name), 'utf8'));
  } catch {
    return;
  }
  const remainingMs = rule === undefined || !Number.isFinite(killedAt) ? 0 : killedAt + rule.delayMs - Date.now();
  if (rule && remainingMs > 0) {
    progress(`${node.name} … waiting ${seconds(remainingMs)} ${rule.reason}`);
    await sleep(remainingMs);
  }
  await rm(killMarkerFile(node.name), { force: true });
}

/** Rejects options that do not fit the node before anything is stopped or started. */
function checkOptions(node: NodeSpec, options: StartOptions): void {
  if (options.fourLetterWords === undefined) return;
  if (node.kind !== 'zookeeper') throw new DevstackError(`a four-letter-word whitelist applies to ZooKeeper nodes only, not ${node.name}`);
  checkFourLetterWords(options.fourLetterWords);
}

async function prepare(node: NodeSpec, options: StartOptions): Promise<void> {
  if (node.kind === 'zookeeper') return prepareZookeeper(node, options.fourLetterWords);
  return driverFor(node.kind).prepare(node);
}

/** Whether a running node already runs the configuration this start asks for (only ZooKeeper's whitelist can differ). */
async function runsAsAsked(node: NodeSpec, options: StartOptions): Promise<boolean> {
  if (node.kind !== 'zookeeper') return true;
  // Unknown (no zoo.cfg) counts as fine: never restart a node over a guess.
  return (await runsWithFourLetterWords(node, options.fourLetterWords ?? standardFourLetterWords)) !== false;
}

/** A start that something other than devstack killed is worth another try. */
function killedFromOutside(pid: number): { reason: string; waitSeconds: number } | undefined {
  return howItEnded(pid)?.startsWith('killed by') ? { reason: 'another process sent it a signal', waitSeconds: 2 } : undefined;
}

/** Starts a node that is not running and waits until it is healthy, retrying failures that pass by themselves. */
async function launchAndWait(node: NodeSpec, deadline: number, options: StartOptions): Promise<Health> {
  const driver = driverFor(node.kind);
  const problem = await driver.precondition?.(node);
  if (problem) throw new DevstackError(`${node.name} cannot start: ${problem}`);
  await waitOutRecentKill(node);
  await prepare(node, options);
  for (let attempt = 1; ; attempt += 1) {
    const logOffset = await fileSize(driver.logFile(node));
    const pid = await spawnDetached(node.name, await driver.launch(node), consoleLog(node));
    progress(`${node.name} … starting (pid ${pid})`);
    try {
      return await pollHealthy(node, pid, deadline);
    } catch (error) {
      const retry =
        error instanceof ProcessExited && attempt < maxStartAttempts
          ? (driver.retryableStartFailure?.(await readSince(driver.logFile(node), logOffset)) ?? killedFromOutside(pid))
          : undefined;
      if (!retry) throw await failureWithLogs(node, error, logOffset);
      progress(`${node.name} … exited (${howItEnded(pid) ?? 'how is unknown'}) because ${retry.reason}; retrying in ${retry.waitSeconds} s`);
      progress(await logExcerpt(node, logOffset));
      await sleep(retry.waitSeconds * 1_000);
    }
  }
}

/**
 * Brings one node to healthy: leaves a running one alone, resumes a paused one, starts a stopped one.
 * A running ZooKeeper whose four-letter-word whitelist differs from the one asked for (the standard
 * one unless `options` says otherwise) is restarted with it, so a plain `up` or `start` undoes `--4lw`.
 */
export async function bringUp(node: NodeSpec, deadline: number, options: StartOptions = {}): Promise<void> {
  checkOptions(node, options);
  const startedAt = Date.now();
  let pid = await runningPid(node);
  if (pid !== undefined && !(await runsAsAsked(node, options))) {
    const words = options.fourLetterWords ?? `the standard ${standardFourLetterWords}`;
    progress(`${node.name} … runs with another four-letter-word whitelist, restarting with ${words}`);
    await stopProcess(node);
    pid = undefined;
  }
  if (pid === undefined) {
    const health = await launchAndWait(node, deadline, options);
    progress(`${node.name} … ${describeHealth(health)} after ${seconds(Date.now() - startedAt)}`);
    return;
  }
  if ((await processState(pid)) === 'paused') {
    progress(`${node.name} … was paused, resuming (pid ${pid})`);
    sendSignal(pid, 'SIGCONT');
  }
  const health = await waitUntilHealthy(node, pid, deadline);
  progress(`${node.name} … ${describeHealth(health)} (already running, pid ${pid})`);
}

/** SIGTERM, up to 20 s for a clean shutdown, then SIGKILL. Returns once the process is gone. */
export async function stopProcess(node: NodeSpec): Promise<void> {
  const marker = driverFor(node.kind).marker(node);
  const pid = await runningPid(node);
  if (pid === undefined) return;
  const startedAt = Date.now();
  progress(`${node.name} … stopping (pid ${pid})`);
  sendSignal(pid, 'SIGTERM');
  // A stopped (paused) process only acts on SIGTERM once it runs again.
  sendSignal(pid, 'SIGCONT');
  if (!(await waitForExit(pid, marker, stopTimeoutMs))) {
    progress(`${node.name} … did not stop within ${seconds(stopTimeoutMs)}, sending SIGKILL`);
    sendSignal(pid, 'SIGKILL');
    await waitForExit(pid, marker, 5_000);
  }
  await removePidFile(node.name);
  progress(`${node.name} … down after ${seconds(Date.now() - startedAt)}`);
}

/** SIGKILL, like a crash; remembers the time for nodes that must wait before a restart (see waitOutRecentKill). */
export async function killProcess(node: NodeSpec): Promise<void> {
  const pid = await requireRunningPid(node);
  sendSignal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, driverFor(node.kind).marker(node), 5_000))) {
    throw new DevstackError(`${node.name} (pid ${pid}) is still there 5 s after SIGKILL; check \`ps -p ${pid}\`.`);
  }
  await removePidFile(node.name);
  await writeFile(killMarkerFile(node.name), `${Date.now()}\n`);
  progress(`${node.name} … killed (pid ${pid})`);
}

/** Waits (up to 5 s) until a signalled process shows the wanted state in /proc. */
export async function waitForState(pid: number, wanted: 'paused' | 'running'): Promise<boolean> {
  for (let i = 0; i < 50; i += 1) {
    if ((await processState(pid)) === wanted) return true;
    await sleep(100);
  }
  return false;
}
