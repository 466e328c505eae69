import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MetricBatch } from '@doflamingo/contracts';
import { setReporter } from '../../devstack/progress';
import { down, status as stackStatus, up } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';
import { startApp } from '../support/app-process';
import { valueOf } from '../support/collector-harness';
import { MetricsTopicReader } from '../support/metrics-topic-reader';

describe('devstack KRaft profile (Kafka 4.x), and an agent watching several clusters', () => {
  let wasRunning = false;
  beforeAll(async () => {
    setReporter(() => undefined);
    wasRunning = (await stackStatus('kraft')).nodes.every((n) => n.state === 'up');
  });
  // Stop the profile only if this test started it: a developer's running stack is left alone.
  afterAll(() => (wasRunning ? undefined : down('kraft')), 60000);

  it('comes up with three combined broker/controller nodes that kafkajs sees', async () => {
    const status = await up('kraft');
    expect(status.nodes.filter((n) => n.profile === 'kraft').map((n) => n.state)).toEqual(['up', 'up', 'up']);
    expect(status.nodes.filter((n) => n.profile === 'kraft' && n.role === 'leader')).toHaveLength(1);

    const admin = new Kafka({ clientId: 'doflamingo-tests', brokers: endpoints.kraftBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect([1, 2, 3]).toContain(cluster.controller);
    } finally {
      await admin.disconnect();
    }
  }, 180000);

  it('is monitored by one agent together with the ZooKeeper-mode cluster, while a dead cluster delays neither', async () => {
    const clustersFile = join(mkdtempSync(join(tmpdir(), 'doflamingo-')), 'clusters.json');
    writeFileSync(
      clustersFile,
      JSON.stringify({
        clusters: [
          { name: 'zk-mode', kafka: { brokers: endpoints.kafkaBrokers }, zookeeper: { servers: endpoints.zookeeperServers.map((z) => `${z.host}:${z.port}`) }, jolokia: { urls: endpoints.jolokiaUrls } },
          { name: 'kraft', kafka: { brokers: endpoints.kraftBrokers } },
          { name: 'dead', kafka: { brokers: ['localhost:1'] } },
        ],
      }),
    );
    const reader = new MetricsTopicReader(endpoints.kafkaBrokers);
    await reader.start();
    const agent = startApp('agent', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      DOFLAMINGO_CLUSTERS_FILE: clustersFile,
      AGENT_HTTP_PORT: '19413',
      AGENT_INTERVAL_KAFKA_CLUSTER_MS: '3000',
      // This test is about cluster state across clusters; the other collectors run rarely here.
      AGENT_INTERVAL_CONSUMER_GROUPS_MS: '60000',
      AGENT_INTERVAL_JMX_MS: '60000',
      AGENT_INTERVAL_ZOOKEEPER_MS: '60000',
      AGENT_INTERVAL_PROBE_MS: '60000',
      LOG_LEVEL: 'warn',
    });
    try {
      const startedAt = Date.now();
      const brokersUp = (cluster: string) => (b: MetricBatch) =>
        b.cluster === cluster && b.source.collector === 'kafka-cluster' && valueOf(b.samples, 'kafka_brokers_up') === 3;
      await reader.waitFor(brokersUp('zk-mode'), 30000, 'the ZooKeeper-mode cluster with 3 brokers');
      await reader.waitFor(brokersUp('kraft'), 30000, 'the KRaft cluster with 3 brokers');
      await reader.waitFor((b) => b.cluster === 'dead' && valueOf(b.samples, 'kafka_cluster_reachable') === 0, 30000, 'the dead cluster reported unreachable');

      // Over the next 12 s both live clusters keep their 3 s rhythm although the dead one never answers.
      const windowStart = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 12000));
      for (const cluster of ['zk-mode', 'kraft']) {
        const collections = reader.batches.filter((b) => b.cluster === cluster && b.source.collector === 'kafka-cluster' && b.timestamp >= windowStart);
        expect([cluster, collections.length >= 3]).toEqual([cluster, true]);
      }
      expect(startedAt).toBeLessThan(windowStart);
      expect(reader.invalid).toEqual([]);
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
      await reader.stop();
    }
  }, 120000);
});
