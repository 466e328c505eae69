/**
 * The devstack operations: install, up, down, status and the single-node fault helpers.
 * cli.ts parses arguments into these calls; integration tests call them directly.
 */
import { rm } from 'node:fs/promises';
import { waitForCluster } from './cluster-checks';
import { DevstackError } from './errors';
import { defaultProbeTimeoutMs, Health } from './health-checks';
import { ensureJars } from './jars';
import {
  bringUp,
  killProcess,
  requireRunningPid,
  runningPid,
  StartOptions,
  startGroups,
  startTimeoutMs,
  stopProcess,
  waitForState,
  waitUntilHealthy,
} from './node-lifecycle';
import { driverFor } from './nodes';
import { killMarkerFile, profileDir } from './paths';
import { assertPortsFree } from './ports';
import { checkJava, ensureClickHouse } from './prerequisites';
import { processState, rssMb, sendSignal } from './processes';
import { operation, progress } from './progress';
import { seconds } from './timing';
import { allNodes, findNode, NodeKind, NodeSpec, nodesOf, Profile } from './topology';

export type ProfileSelection = Profile | 'all';
export type NodeState = 'up' | 'down' | 'paused' | 'unhealthy';

export interface NodeStatus {
  name: string;
  kind: NodeKind;
  state: NodeState;
  pid: number | null;
  rssMb: number | null;
  port: number;
  /** leader / follower (ZooKeeper, KRaft quorum), controller / broker (Kafka on ZooKeeper); null when unknown. */
  role: string | null;
  profile: Profile;
  /** Why an unhealthy node failed its probe; null otherwise. */
  detail: string | null;
}

export interface StackStatus {
  nodes: NodeStatus[];
  /** Sum of the RSS of all running nodes, in MB. */
  totalRssMb: number;
}

export type { StartOptions } from './node-lifecycle';

export interface WaitOptions {
  /** Overall time limit for the nodes to become healthy; defaults depend on the node kind. */
  timeoutMs?: number;
}

function nodesIn(selection: ProfileSelection): NodeSpec[] {
  return selection === 'all' ? allNodes : nodesOf(selection);
}

function profilesIn(selection: ProfileSelection): Profile[] {
  return selection === 'all' ? ['zk', 'kraft'] : [selection];
}

// ---------------------------------------------------------------------------------------------
// Software

/** Java, the jars and ClickHouse, as far as the given nodes need them. */
async function ensureSoftware(nodes: NodeSpec[]): Promise<void> {
  const jarSets = [...new Set(nodes.flatMap((n) => driverFor(n.kind).jarSets))];
  if (jarSets.length > 0) await checkJava();
  for (const set of jarSets) await ensureJars(set);
  if (nodes.some((n) => n.kind === 'clickhouse')) await ensureClickHouse();
}

export async function install(selection: ProfileSelection = 'zk'): Promise<void> {
  await operation(async () => {
    await ensureSoftware(nodesIn(selection));
    progress(`software for profile ${selection} is installed`);
  });
}

// ---------------------------------------------------------------------------------------------
// Whole profiles

/** Like Promise.all, but waits for every node and reports all failures, not only the first. */
async function allOrAllErrors(work: Promise<void>[]): Promise<void> {
  const failures = (await Promise.allSettled(work)).flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 0) return;
  if (failures.length === 1) throw failures[0];
  throw new DevstackError(failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n\n'));
}

/** Starts every node of the profile that is not already up and waits until the whole cluster is healthy. */
export async function up(profile: Profile = 'zk', options: WaitOptions = {}): Promise<StackStatus> {
  return operation(async () => {
    const startedAt = Date.now();
    const nodes = nodesOf(profile);
    await ensureSoftware(nodes);

    const notRunning: NodeSpec[] = [];
    for (const node of nodes) if ((await runningPid(node)) === undefined) notRunning.push(node);
    await assertPortsFree(notRunning);

    for (const kinds of startGroups) {
      const group = nodes.filter((n) => kinds.includes(n.kind));
      if (group.length === 0) continue;
      const timeoutMs = options.timeoutMs ?? Math.max(...group.map((n) => startTimeoutMs[n.kind]));
      const deadline = Date.now() + timeoutMs;
      await allOrAllErrors(group.map((node) => bringUp(node, deadline)));
      for (const kind of kinds) await waitForCluster(kind, group.filter((n) => n.kind === kind), deadline);
    }

    const result = await status(profile);
    progress(`profile ${profile} is up after ${seconds(Date.now() - startedAt)}, total RSS ${result.totalRssMb} MB`);
    return result;
  });
}

/** Stops the nodes of the selection, brokers before ZooKeeper; `clean` also deletes their data. */
export async function down(selection: ProfileSelection = 'all', options: { clean?: boolean } = {}): Promise<void> {
  await operation(async () => {
    const nodes = nodesIn(selection);
    const running = (await Promise.all(nodes.map(runningPid))).filter((pid) => pid !== undefined).length;
    if (running === 0) progress(`no node of profile ${selection} is running`);
    // Reverse start order: brokers shut down cleanly only while ZooKeeper still runs.
    for (const kinds of [...startGroups].reverse()) {
      await Promise.all(nodes.filter((n) => kinds.includes(n.kind)).map((n) => stopProcess(n)));
    }
    if (options.clean) {
      for (const profile of profilesIn(selection)) {
        await rm(profileDir(profile), { recursive: true, force: true });
        progress(`deleted ${profileDir(profile)}`);
      }
      await Promise.all(nodes.map((n) => rm(killMarkerFile(n.name), { force: true })));
    }
  });
}

async function nodeStatus(node: NodeSpec): Promise<NodeStatus> {
  const status = (state: NodeState, pid: number | null, rss: number | null, health?: Health): NodeStatus => ({
    name: node.name,
    kind: node.kind,
    state,
    pid,
    rssMb: rss,
    port: node.port,
    role: health?.role ?? null,
    profile: node.profile,
    detail: health && !health.healthy ? (health.detail ?? null) : null,
  });
  const pid = await runningPid(node);
  if (pid === undefined) return status('down', null, null);
  const rss = (await rssMb(pid)) ?? null;
  if ((await processState(pid)) === 'paused') return status('paused', pid, rss);
  const health = await driverFor(node.kind).health(node, defaultProbeTimeoutMs);
  return status(health.healthy ? 'up' : 'unhealthy', pid, rss, health);
}

export async function status(selection: ProfileSelection = 'all'): Promise<StackStatus> {
  const nodes = await Promise.all(nodesIn(selection).map(nodeStatus));
  const totalRssMb = nodes.reduce((sum, n) => sum + (n.rssMb ?? 0), 0);
  return { nodes, totalRssMb };
}

// ---------------------------------------------------------------------------------------------
// Single nodes (fault injection)

/**
 * Starts one node and waits for its health; a node that already runs is only waited for, unless it
 * runs with another configuration than asked (`fourLetterWords`, or the standard one without it):
 * then it is restarted. `startNode('zk3', { fourLetterWords: 'ruok,srvr' })` runs zk3 without mntr.
 */
export async function startNode(name: string, options: WaitOptions & StartOptions = {}): Promise<void> {
  await operation(async () => {
    const node = findNode(name);
    await ensureSoftware([node]);
    if ((await runningPid(node)) === undefined) await assertPortsFree([node]);
    await bringUp(node, Date.now() + (options.timeoutMs ?? startTimeoutMs[node.kind]), { fourLetterWords: options.fourLetterWords });
  });
}

export async function stopNode(name: string): Promise<void> {
  await operation(async () => {
    const node = findNode(name);
    if ((await runningPid(node)) === undefined) {
      progress(`${name} … already down`);
      return;
    }
    await stopProcess(node);
  });
}

/** SIGKILL, like a crash: no clean shutdown. The pid file goes, so status reports the node down. */
export async function killNode(name: string): Promise<void> {
  await operation(async () => {
    await killProcess(findNode(name));
  });
}

/** SIGSTOP: the process stays but answers nothing, like a long GC pause or a hung machine. */
export async function pauseNode(name: string): Promise<void> {
  await operation(async () => {
    const node = findNode(name);
    const pid = await requireRunningPid(node);
    sendSignal(pid, 'SIGSTOP');
    if (!(await waitForState(pid, 'paused'))) throw new DevstackError(`${name} (pid ${pid}) did not stop on SIGSTOP.`);
    progress(`${name} … paused (pid ${pid})`);
  });
}

export async function resumeNode(name: string): Promise<void> {
  await operation(async () => {
    const node = findNode(name);
    const pid = await requireRunningPid(node);
    sendSignal(pid, 'SIGCONT');
    if (!(await waitForState(pid, 'running'))) throw new DevstackError(`${name} (pid ${pid}) did not continue on SIGCONT.`);
    progress(`${name} … resumed (pid ${pid})`);
  });
}

/** Waits until an already started node is healthy; throws with its log tail after timeoutMs. */
export async function waitHealthy(name: string, timeoutMs?: number): Promise<Health> {
  const node = findNode(name);
  const pid = await requireRunningPid(node);
  return waitUntilHealthy(node, pid, Date.now() + (timeoutMs ?? startTimeoutMs[node.kind]));
}
