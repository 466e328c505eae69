/**
 * The local development stack: which nodes exist, their ports and where their files live.
 * Everything else in devstack/ (and the integration tests) reads node names and ports from here.
 *
 * Ports can be shifted as a block with DEVSTACK_PORT_OFFSET (e.g. 20000; small offsets make one stack's ZooKeeper quorum ports meet another's election ports) when the defaults are
 * taken on a machine; ClickHouse's ports can also be set one by one.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type Profile = 'zk' | 'kraft';
export type NodeKind = 'zookeeper' | 'kafka' | 'kraft' | 'clickhouse';

export interface NodeSpec {
  /** Unique name used on the command line: `npm run devstack stop kafka2`. */
  name: string;
  kind: NodeKind;
  profile: Profile;
  /** 1-based id: ZooKeeper myid, Kafka broker.id / node.id. */
  id: number;
  /** The port a client connects to (ZooKeeper client port, Kafka listener, ClickHouse HTTP). */
  port: number;
  /** Extra ports by role (quorum, election, admin, jolokia, controller, tcp). */
  ports: Record<string, number>;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 60000) {
    throw new Error(`${name} must be a whole number between 0 and 60000, got '${raw}'`);
  }
  return value;
}

export const repoRoot = resolve(__dirname, '..');
/** Data, logs, generated configuration and pid files: project-local, never committed. */
export const stackDir = process.env.DEVSTACK_DIR ? resolve(process.env.DEVSTACK_DIR) : join(repoRoot, '.devstack');
/** Jars resolved by Maven: shared between clones, outside git. */
export const cacheDir = process.env.DOFLAMINGO_CACHE_DIR
  ? resolve(process.env.DOFLAMINGO_CACHE_DIR)
  : join(homedir(), '.cache', 'doflamingo');

const offset = intFromEnv('DEVSTACK_PORT_OFFSET', 0);
const p = (port: number) => port + offset;

const zookeepers: NodeSpec[] = [1, 2, 3].map((id) => ({
  name: `zk${id}`,
  kind: 'zookeeper',
  profile: 'zk',
  id,
  port: p(2180 + id),
  ports: { quorum: p(2887 + id), election: p(3887 + id), admin: p(8180 + id) },
}));

const brokers: NodeSpec[] = [1, 2, 3].map((id) => ({
  name: `kafka${id}`,
  kind: 'kafka',
  profile: 'zk',
  id,
  port: p(9091 + id),
  // prometheus: the Prometheus JMX exporter's /metrics, a second JMX source next to Jolokia.
  ports: { jolokia: p(8777 + id), prometheus: p(7070 + id) },
}));

const clickhouse: NodeSpec = {
  name: 'clickhouse',
  kind: 'clickhouse',
  profile: 'zk',
  id: 1,
  port: intFromEnv('CLICKHOUSE_HTTP_PORT', p(8123)),
  ports: { tcp: intFromEnv('CLICKHOUSE_TCP_PORT', p(9000)) },
};

const kraftNodes: NodeSpec[] = [1, 2, 3].map((id) => ({
  name: `kraft${id}`,
  kind: 'kraft',
  profile: 'kraft',
  id,
  port: p(19091 + id),
  ports: { controller: p(19191 + id), jolokia: p(18777 + id) },
}));

export const allNodes: NodeSpec[] = [...zookeepers, ...brokers, clickhouse, ...kraftNodes];

export function nodesOf(profile: Profile): NodeSpec[] {
  return allNodes.filter((n) => n.profile === profile);
}

export function findNode(name: string): NodeSpec {
  const node = allNodes.find((n) => n.name === name);
  if (!node) {
    throw new Error(`Unknown devstack node '${name}'. Known nodes: ${allNodes.map((n) => n.name).join(', ')}`);
  }
  return node;
}

/** Connection strings for clients of the default (ZooKeeper-mode) profile. */
export const endpoints = {
  kafkaBrokers: brokers.map((b) => `localhost:${b.port}`),
  zookeeperConnect: zookeepers.map((z) => `localhost:${z.port}`).join(','),
  zookeeperServers: zookeepers.map((z) => ({ name: z.name, host: 'localhost', port: z.port, adminPort: z.ports.admin })),
  jolokiaUrls: brokers.map((b) => `http://localhost:${b.ports.jolokia}/jolokia`),
  prometheusUrls: brokers.map((b) => `http://localhost:${b.ports.prometheus}/metrics`),
  clickhouseUrl: `http://localhost:${clickhouse.port}`,
  kraftBrokers: kraftNodes.map((k) => `localhost:${k.port}`),
};

/** Heap caps: together with non-heap overhead the ZooKeeper-mode stack stays under 4 GiB RSS. */
export const heap = { zookeeper: '96m', kafka: '320m', kraft: '320m' };
