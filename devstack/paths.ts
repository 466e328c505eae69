/** Where each node's files live under the stack folder (see topology.ts for the roots). */
import { join } from 'node:path';
import { cacheDir, NodeSpec, nodesOf, Profile, stackDir } from './topology';

/** Data and generated configuration of one profile: `.devstack/zk`, `.devstack/kraft`. */
export function profileDir(profile: Profile): string {
  return join(stackDir, profile);
}

/** Everything of one node: configuration, data, logs. `.devstack/zk/kafka1`. */
export function nodeDir(node: NodeSpec): string {
  return join(profileDir(node.profile), node.name);
}

/** A ZooKeeper-mode broker's partitions: its `log.dirs`. */
export function kafkaDataDir(node: NodeSpec): string {
  return join(nodeDir(node), 'data');
}

/** MONITOR_KAFKA_LOG_DIRS for the agent watching the devstack from this machine: `1=…/zk/kafka1/data,2=…`. */
export function devstackKafkaLogDirs(): string {
  return nodesOf('zk')
    .filter((node) => node.kind === 'kafka')
    .map((node) => `${node.id}=${kafkaDataDir(node)}`)
    .join(',');
}

export function logDir(node: NodeSpec): string {
  return join(nodeDir(node), 'logs');
}

/** stdout/stderr of the process; normally nearly empty because the logs go to files. */
export function consoleLog(node: NodeSpec): string {
  return join(logDir(node), 'console.log');
}

export const runDir = join(stackDir, 'run');

export function pidFile(name: string): string {
  return join(runDir, `${name}.pid`);
}

export function jarsDir(jarSet: string): string {
  return join(cacheDir, 'jars', jarSet);
}

export const cacheLogDir = join(cacheDir, 'logs');

/** Written when devstack kills a node with SIGKILL, read by the next start (see stack.ts). */
export function killMarkerFile(name: string): string {
  return join(runDir, `${name}.killed`);
}
