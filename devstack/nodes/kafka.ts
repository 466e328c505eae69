/** A Kafka 3.9 broker in ZooKeeper mode, one of three on the zk1..zk3 ensemble. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeKafkaCluster, Health, httpGet, jolokiaUp, zookeeperHealth } from '../health-checks';
import { classpath } from '../jars';
import { kafkaDataDir, logDir, nodeDir } from '../paths';
import { endpoints, heap, NodeSpec, nodesOf } from '../topology';
import { propertiesText, writeConfigFile } from './config-files';
import { NodeDriver } from './driver';
import { jvmLaunchSpec, jvmMarker } from './jvm';
import { jolokiaAgent, log4jProperties, prometheusExporterAgent, sharedBrokerProperties, withExtraJavaAgent } from './kafka-common';

const configFile = (node: NodeSpec) => join(nodeDir(node), 'server.properties');
const log4jFile = (node: NodeSpec) => join(nodeDir(node), 'log4j.properties');

/**
 * A killed broker's registration (/brokers/ids/N) stays in ZooKeeper until its session times out,
 * and a new broker with the same id refuses to start before then. Kafka's default is 18 s; 10 s
 * makes a kill-and-restart cycle quicker while staying well above GC pauses of these small heaps.
 */
const zookeeperSessionTimeoutMs = 10_000;

function serverProperties(node: NodeSpec): string {
  return propertiesText(`Kafka broker ${node.name} (ZooKeeper mode)`, {
    'broker.id': node.id,
    listeners: `PLAINTEXT://localhost:${node.port}`,
    'advertised.listeners': `PLAINTEXT://localhost:${node.port}`,
    'zookeeper.connect': endpoints.zookeeperConnect,
    'zookeeper.session.timeout.ms': zookeeperSessionTimeoutMs,
    'zookeeper.connection.timeout.ms': 30_000,
    // On `down` the last broker has nowhere to move its leaders and retries three times: 1 s apart, not 5 s.
    'controlled.shutdown.retry.backoff.ms': 1_000,
    ...sharedBrokerProperties(kafkaDataDir(node)),
  });
}

/** The exporter's own liveness page: answers without walking every MBean (a /metrics scrape does). */
async function prometheusExporterUp(port: number, timeoutMs?: number): Promise<boolean> {
  try {
    return (await httpGet(`http://127.0.0.1:${port}/-/healthy`, timeoutMs)).status === 200;
  } catch {
    return false;
  }
}

async function brokerHealth(node: NodeSpec, timeoutMs?: number): Promise<Health> {
  try {
    const [cluster, jolokia, exporter] = await Promise.all([
      describeKafkaCluster(node.port, timeoutMs),
      jolokiaUp(node.ports.jolokia, timeoutMs),
      prometheusExporterUp(node.ports.prometheus, timeoutMs),
    ]);
    if (!cluster.brokerIds.includes(node.id)) {
      return { healthy: false, detail: `not yet registered (cluster sees brokers [${cluster.brokerIds.join(', ')}])` };
    }
    const role = cluster.controllerId === node.id ? 'controller' : 'broker';
    if (!jolokia) return { healthy: false, role, detail: `Jolokia does not answer on port ${node.ports.jolokia}` };
    if (!exporter) return { healthy: false, role, detail: `the Prometheus JMX exporter does not answer on port ${node.ports.prometheus}` };
    return { healthy: true, role };
  } catch (error) {
    return { healthy: false, detail: (error as Error).message };
  }
}

export const kafkaDriver: NodeDriver = {
  jarSets: ['kafka-zk', 'jolokia', 'jmx-exporter'],

  async prepare(node) {
    await mkdir(kafkaDataDir(node), { recursive: true });
    await mkdir(logDir(node), { recursive: true });
    await writeConfigFile(configFile(node), serverProperties(node));
    await writeConfigFile(log4jFile(node), log4jProperties(logDir(node)));
  },

  async launch(node) {
    const spec = jvmLaunchSpec({
      node,
      cwd: nodeDir(node),
      heap: heap.kafka,
      metaspace: '128m',
      classpath: classpath('kafka-zk'),
      mainClass: 'kafka.Kafka',
      mainArgs: [configFile(node)],
      systemProperties: {
        'log4j.configuration': `file:${log4jFile(node)}`,
        'kafka.logs.dir': logDir(node),
      },
      javaAgent: await jolokiaAgent(node),
    });
    return withExtraJavaAgent(spec, await prometheusExporterAgent(node));
  },

  marker: jvmMarker,

  async precondition() {
    const servers = nodesOf('zk').filter((n) => n.kind === 'zookeeper');
    const healths = await Promise.all(servers.map((n) => zookeeperHealth(n.port)));
    if (healths.some((h) => h.healthy)) return undefined;
    return 'the ZooKeeper ensemble (zk1..zk3) has no quorum: start it first with `npm run devstack -- up`';
  },

  health: brokerHealth,

  logFile: (node) => join(logDir(node), 'server.log'),

  // ZooKeeper expires sessions on tick boundaries (tickTime 2 s), hence the margin.
  restartAfterKill: {
    delayMs: zookeeperSessionTimeoutMs + 2_000,
    reason: "for the killed broker's ZooKeeper session to expire",
  },

  retryableStartFailure(logSinceStart) {
    if (!/node already exists and owner .* does not match current session/.test(logSinceStart)) return undefined;
    return {
      reason: 'its previous ZooKeeper session (from before a kill) is still registered',
      waitSeconds: Math.ceil(zookeeperSessionTimeoutMs / 1000),
    };
  },
};
