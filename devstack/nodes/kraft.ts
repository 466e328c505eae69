/** A Kafka 4 node in KRaft mode: broker and controller in one process, three of them form the quorum. */
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../commands';
import { DevstackError } from '../errors';
import { describeKafkaCluster, Health, jolokiaRead } from '../health-checks';
import { classpath } from '../jars';
import { javaBinary } from '../prerequisites';
import { progress } from '../progress';
import { logDir, nodeDir, profileDir } from '../paths';
import { heap, NodeSpec, nodesOf } from '../topology';
import { propertiesText, writeConfigFile } from './config-files';
import { NodeDriver } from './driver';
import { jvmLaunchSpec, jvmMarker } from './jvm';
import { jolokiaAgent, log4j2Xml, sharedBrokerProperties } from './kafka-common';

const configFile = (node: NodeSpec) => join(nodeDir(node), 'server.properties');
const log4jFile = (node: NodeSpec) => join(nodeDir(node), 'log4j2.xml');
const dataDir = (node: NodeSpec) => join(nodeDir(node), 'data');
const clusterIdFile = join(profileDir('kraft'), 'cluster-id');

function serverProperties(node: NodeSpec): string {
  const voters = nodesOf('kraft')
    .map((n) => `${n.id}@localhost:${n.ports.controller}`)
    .join(',');
  return propertiesText(`Kafka node ${node.name} (KRaft, broker + controller)`, {
    'process.roles': 'broker,controller',
    'node.id': node.id,
    // A static quorum: every node knows all three voters up front, no dynamic voter bootstrapping.
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://localhost:${node.port},CONTROLLER://localhost:${node.ports.controller}`,
    'advertised.listeners': `PLAINTEXT://localhost:${node.port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    ...sharedBrokerProperties(dataDir(node)),
  });
}

/** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding (22 characters). */
async function readOrCreateClusterId(): Promise<string> {
  try {
    return (await readFile(clusterIdFile, 'utf8')).trim();
  } catch {
    const id = randomBytes(16).toString('base64url');
    await writeConfigFile(clusterIdFile, `${id}\n`);
    return id;
  }
}

/** All three nodes format in parallel and must share one id, so they share one lookup. */
let clusterIdLookup: Promise<string> | undefined;

function clusterId(): Promise<string> {
  clusterIdLookup ??= readOrCreateClusterId().finally(() => {
    clusterIdLookup = undefined; // `down --clean` may delete the file; look again next time
  });
  return clusterIdLookup;
}

async function isFormatted(node: NodeSpec): Promise<boolean> {
  try {
    await access(join(dataDir(node), 'meta.properties'));
    return true;
  } catch {
    return false;
  }
}

/** KRaft storage must carry the cluster id before the first start (what `kafka-storage.sh format` does). */
async function formatStorage(node: NodeSpec): Promise<void> {
  const id = await clusterId();
  progress(`${node.name} … formatting storage for cluster ${id}`);
  const logFile = join(logDir(node), 'format.log');
  const { code } = await runCommand(
    javaBinary(),
    [
      '-Xmx128m',
      '-XX:+UseSerialGC',
      `-Dlog4j2.configurationFile=${log4jFile(node)}`,
      `-Dkafka.logs.dir=${logDir(node)}`,
      '-cp',
      classpath('kafka-kraft'),
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      id,
      '--config',
      configFile(node),
      '--ignore-formatted',
    ],
    { logFile },
  );
  if (code !== 0) {
    throw new DevstackError(
      `Formatting the KRaft storage of ${node.name} failed, see ${logFile}. ` +
        'To start the KRaft profile from scratch: npm run devstack -- down --profile kraft --clean',
    );
  }
}

async function kraftHealth(node: NodeSpec, timeoutMs?: number): Promise<Health> {
  try {
    const [cluster, raftState] = await Promise.all([
      describeKafkaCluster(node.port, timeoutMs),
      jolokiaRead(node.ports.jolokia, 'kafka.server:type=raft-metrics', 'current-state', timeoutMs),
    ]);
    // In KRaft mode the "controller" in metadata answers is just some broker, so the role comes from the raft metrics.
    const role = typeof raftState === 'string' ? raftState : undefined;
    if (!cluster.brokerIds.includes(node.id)) {
      return { healthy: false, role, detail: `not yet registered (cluster sees brokers [${cluster.brokerIds.join(', ')}])` };
    }
    if (role === undefined) return { healthy: false, detail: `Jolokia does not answer on port ${node.ports.jolokia}` };
    return { healthy: true, role };
  } catch (error) {
    return { healthy: false, detail: (error as Error).message };
  }
}

export const kraftDriver: NodeDriver = {
  jarSets: ['kafka-kraft', 'jolokia'],

  async prepare(node) {
    await mkdir(dataDir(node), { recursive: true });
    await mkdir(logDir(node), { recursive: true });
    await writeConfigFile(configFile(node), serverProperties(node));
    await writeConfigFile(log4jFile(node), log4j2Xml(logDir(node)));
    if (!(await isFormatted(node))) await formatStorage(node);
  },

  async launch(node) {
    return jvmLaunchSpec({
      node,
      cwd: nodeDir(node),
      heap: heap.kraft,
      metaspace: '128m',
      classpath: classpath('kafka-kraft'),
      mainClass: 'kafka.Kafka',
      mainArgs: [configFile(node)],
      systemProperties: {
        'log4j2.configurationFile': log4jFile(node),
        'kafka.logs.dir': logDir(node),
      },
      javaAgent: await jolokiaAgent(node),
    });
  },

  marker: jvmMarker,

  health: kraftHealth,

  logFile: (node) => join(logDir(node), 'server.log'),
};
