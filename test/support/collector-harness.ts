import pino from 'pino';
import { loadConfig, MonitoredCluster } from '@doflamingo/config';
import { MetricSample } from '@doflamingo/contracts';
import { ClusterClients } from '../../apps/agent/src/collection/cluster-clients';
import { CollectedBatch, CollectorContext } from '../../apps/agent/src/collection/collector';
import { endpoints } from '../../devstack/topology';

/** The devstack's ZooKeeper-mode cluster, at its endpoints (which DEVSTACK_PORT_OFFSET may shift from the agent's defaults). */
export function devstackCluster(env: Record<string, string> = {}): MonitoredCluster {
  return loadConfig('agent', {
    LOG_LEVEL: 'silent',
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    MONITOR_ZOOKEEPER_CONNECT: endpoints.zookeeperConnect,
    MONITOR_ZOOKEEPER_ADMIN_URLS: endpoints.zookeeperServers.map((z) => `http://${z.host}:${z.adminPort}`).join(','),
    MONITOR_JOLOKIA_URLS: endpoints.jolokiaUrls.join(','),
    ...env,
  }).clusters[0];
}

/** What a collector gets from the scheduler, for running one collector directly in a test. */
export function collectorContext(cluster: MonitoredCluster = devstackCluster()): CollectorContext & { close(): Promise<void> } {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const clients = new ClusterClients(cluster, logger);
  const intervalMs = loadConfig('agent', { LOG_LEVEL: 'silent' }).agent.intervalsMs;
  return { cluster, clients, logger, agentId: `test-agent-${process.pid}`, callTimeoutMs: 5000, intervalMs, close: () => clients.close() };
}

export function allSamples(batches: CollectedBatch[]): MetricSample[] {
  return batches.flatMap((batch) => batch.samples);
}

/** The value of the one sample with this metric and exactly these labels (undefined when absent). */
export function valueOf(samples: MetricSample[], metric: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return samples.find((s) => s.metric === metric && JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
}
