/**
 * Checks across all nodes of one kind: a ZooKeeper ensemble is healthy with exactly one leader,
 * a Kafka cluster when every broker sees every other one.
 */
import { cli, DevstackError } from './errors';
import { describeKafkaCluster, fourLetterWord, Health, jolokiaRead } from './health-checks';
import { progress } from './progress';
import { sleep } from './timing';
import { NodeKind, NodeSpec } from './topology';

async function zookeeperMode(node: NodeSpec): Promise<string | undefined> {
  try {
    return /^Mode: (\S+)/m.exec(await fourLetterWord(node.port, 'srvr'))?.[1];
  } catch {
    return undefined;
  }
}

export async function zookeeperEnsembleHealth(nodes: NodeSpec[]): Promise<Health> {
  const modes = await Promise.all(nodes.map(zookeeperMode));
  const leaders = nodes.filter((_, i) => modes[i] === 'leader').map((n) => n.name);
  const serving = modes.filter((mode) => mode === 'leader' || mode === 'follower').length;
  if (leaders.length === 1 && serving === nodes.length) return { healthy: true, detail: `leader ${leaders[0]}` };
  return { healthy: false, detail: `${leaders.length} leader(s) [${leaders.join(', ')}], ${serving}/${nodes.length} serving` };
}

async function brokersSeenBy(node: NodeSpec): Promise<number[]> {
  try {
    return (await describeKafkaCluster(node.port)).brokerIds;
  } catch {
    return [];
  }
}

export async function kafkaClusterHealth(nodes: NodeSpec[]): Promise<Health> {
  const views = await Promise.all(nodes.map(brokersSeenBy));
  const missing = nodes.filter((_, i) => !nodes.every((other) => views[i].includes(other.id)));
  if (missing.length > 0) {
    return { healthy: false, detail: `${missing.map((n) => n.name).join(', ')} do not see all ${nodes.length} brokers yet` };
  }
  return { healthy: true, detail: `${nodes.length} brokers registered` };
}

/** KRaft: all brokers registered and exactly one node leads the metadata quorum. */
export async function kraftClusterHealth(nodes: NodeSpec[]): Promise<Health> {
  const brokers = await kafkaClusterHealth(nodes);
  if (!brokers.healthy) return brokers;
  const states = await Promise.all(
    nodes.map((n) => jolokiaRead(n.ports.jolokia, 'kafka.server:type=raft-metrics', 'current-state')),
  );
  const leaders = nodes.filter((_, i) => states[i] === 'leader').map((n) => n.name);
  if (leaders.length !== 1) return { healthy: false, detail: `${leaders.length} quorum leader(s) [${leaders.join(', ')}]` };
  return { healthy: true, detail: `${brokers.detail}, quorum leader ${leaders[0]}` };
}

const clusterChecks: Partial<Record<NodeKind, (nodes: NodeSpec[]) => Promise<Health>>> = {
  zookeeper: zookeeperEnsembleHealth,
  kafka: kafkaClusterHealth,
  kraft: kraftClusterHealth,
};

/** Polls the cluster check of one node kind until it passes; throws at the deadline. */
export async function waitForCluster(kind: NodeKind, nodes: NodeSpec[], deadline: number): Promise<void> {
  const check = clusterChecks[kind];
  if (!check || nodes.length < 2) return;
  let last: Health = { healthy: false };
  while (Date.now() < deadline) {
    last = await check(nodes);
    if (last.healthy) {
      progress(`${kind} cluster … healthy (${last.detail})`);
      return;
    }
    await sleep(1_000);
  }
  throw new DevstackError(
    `The ${kind} nodes run but do not form a healthy cluster (${last.detail}). ` +
      `Look at their logs under .devstack/${nodes[0].profile}/, then \`${cli(`down --profile ${nodes[0].profile}`)}\` ` +
      `and \`${cli(`up --profile ${nodes[0].profile}`)}\`.`,
  );
}

