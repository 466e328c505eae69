import { metricCatalogue, MetricBatch } from '@doflamingo/contracts';
import { setReporter } from '../../devstack/progress';
import { startNode, stopNode } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';
import { RunningApp, startApp } from '../support/app-process';
import { valueOf } from '../support/collector-harness';
import { devstackMonitorEnv } from '../support/devstack-env';
import { eventually } from '../support/eventually';
import { MetricsTopicReader } from '../support/metrics-topic-reader';

const CLUSTER_INTERVAL_MS = 3000;
const baseEnv = {
  ...devstackMonitorEnv(),
  LOG_LEVEL: 'info',
  AGENT_HTTP_PORT: '19411',
  AGENT_INTERVAL_KAFKA_CLUSTER_MS: String(CLUSTER_INTERVAL_MS),
  AGENT_INTERVAL_AGENT_MS: '3000',
  AGENT_INTERVAL_PROBE_MS: '2000',
};

const fromCluster = (batch: MetricBatch, after: number) => batch.source.collector === 'kafka-cluster' && batch.timestamp >= after;
const clusterValue = (batch: MetricBatch, metric: string) => valueOf(batch.samples, metric);

describe('the agent, publishing to the metrics topic (devstack)', () => {
  let agent: RunningApp;
  let reader: MetricsTopicReader;

  beforeAll(async () => {
    setReporter(() => undefined);
    reader = new MetricsTopicReader(endpoints.kafkaBrokers);
    await reader.start();
    agent = startApp('agent', { ...baseEnv, DOFLAMINGO_INSTANCE_ID: `agent-test-${process.pid}` });
  });

  afterAll(async () => {
    await startNode('kafka3').catch(() => undefined);
    agent.child.kill('SIGTERM');
    await agent.exited;
    await reader.stop();
  });

  it('publishes batches that validate against the contract and name only catalogued metrics with their labels', async () => {
    await reader.waitFor((b) => b.source.collector === 'agent', 30000, 'the agent self-report');
    await reader.waitFor((b) => b.source.collector === 'probe' && valueOf(b.samples, 'kafka_probe_consumer_ready') === 1, 60000, 'a ready probe');
    expect(reader.invalid).toEqual([]);
    const catalogue = metricCatalogue();
    for (const batch of reader.batches) {
      expect(batch.cluster).toBe('local');
      for (const s of batch.samples) {
        const definition = catalogue.get(s.metric);
        expect([s.metric, definition !== undefined]).toEqual([s.metric, true]);
        expect(Object.keys(s.labels).sort()).toEqual([...definition!.labels].sort());
      }
    }
  });

  it('keys messages so that each cluster/collector/scope always lands in one partition', () => {
    expect(reader.partitionsByKey.size).toBeGreaterThan(1);
    for (const [key, partitions] of reader.partitionsByKey) expect([key, partitions.size]).toEqual([key, 1]);
  });

  it('sees a stopped broker within two collection intervals, and the cluster recover after its restart', async () => {
    const startedAt = Date.now();
    const healthy = await reader.waitFor((b) => fromCluster(b, startedAt) && clusterValue(b, 'kafka_brokers_up') === 3, 30000, '3 brokers up');
    expect(clusterValue(healthy, 'kafka_offline_partitions')).toBe(0);

    await stopNode('kafka3');
    const stoppedAt = Date.now();
    const degraded = await reader.waitFor(
      (b) => fromCluster(b, stoppedAt) && clusterValue(b, 'kafka_brokers_up') === 2 && clusterValue(b, 'kafka_under_replicated_partitions')! > 0,
      2 * CLUSTER_INTERVAL_MS + 5000,
      'broker count 2 and under-replicated partitions',
    );
    expect(degraded.timestamp - stoppedAt).toBeLessThanOrEqual(2 * CLUSTER_INTERVAL_MS);
    expect(valueOf(degraded.samples, 'kafka_broker_up', { broker: '3' })).toBe(0);
    expect(clusterValue(degraded, 'kafka_brokers_known')).toBe(3);

    await startNode('kafka3');
    const restartedAt = Date.now();
    await reader.waitFor(
      (b) => fromCluster(b, restartedAt) && clusterValue(b, 'kafka_brokers_up') === 3 && clusterValue(b, 'kafka_under_replicated_partitions') === 0,
      90000,
      'the cluster healthy again',
    );
  });
});

describe('the agent with its metrics topic unreachable', () => {
  it('keeps collecting, caps its buffer by dropping the oldest batches, and logs the failure once', async () => {
    const agent = startApp('agent', {
      ...baseEnv,
      AGENT_HTTP_PORT: '19412',
      KAFKA_BROKERS: 'localhost:1', // nothing listens: the metrics topic is unreachable
      MONITOR_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      AGENT_BUFFER_MAX_BYTES: '65536',
      AGENT_INTERVAL_KAFKA_CLUSTER_MS: '1000',
    });
    try {
      const health = await eventually(
        async () => (await fetch('http://127.0.0.1:19412/health')).json() as Promise<{ details: { publisher: { dropped: number; bufferedBytes: number; status: string } } }>,
        (h) => h.details?.publisher?.dropped > 0 && h.details.publisher.status === 'down',
        60000,
        'the buffer dropping its oldest batches',
      );
      expect(health.details.publisher.status).toBe('down');
      expect(health.details.publisher.bufferedBytes).toBeLessThanOrEqual(65536);
      const failures = agent.output().split('\n').filter((line) => line.includes('publishing to the metrics topic failed'));
      expect(failures).toHaveLength(1);
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
    }
  });
});
