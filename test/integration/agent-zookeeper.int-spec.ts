import { Writable } from 'node:stream';
import { Admin } from 'kafkajs';
import pino from 'pino';
import { MonitoredCluster } from '@doflamingo/config';
import { METRIC_EVENT_SCHEMA_VERSION, metricBatchSchema, MetricSample, zookeeperMetricGroup } from '@doflamingo/contracts';
import { Collector } from '../../apps/agent/src/collection/collector';
import { zookeeperCollector } from '../../apps/agent/src/collectors/zookeeper/zookeeper.collector';
import { setReporter } from '../../devstack/progress';
import { killNode, startNode, stopNode, waitHealthy } from '../../devstack/stack';
import { endpoints } from '../../devstack/topology';
import { allSamples, collectorContext, devstackCluster, valueOf } from '../support/collector-harness';
import { eventually } from '../support/eventually';
import { fourLetterWord, parseMntr } from '../support/four-letter-word';
import { connectAdmin } from '../support/kafka-admin';

const zk = endpoints.zookeeperServers;
const serverOf = (node: (typeof zk)[number]) => `${node.host}:${node.port}`;
const servers = zk.map(serverOf);

const leadersIn = (samples: MetricSample[]) => samples.filter((s) => s.metric === 'zookeeper_server_is_leader' && s.value === 1).map((s) => s.labels.server);
const healthy = (samples: MetricSample[]) =>
  valueOf(samples, 'zookeeper_servers_up') === 3 &&
  valueOf(samples, 'zookeeper_quorum_up') === 1 &&
  leadersIn(samples).length === 1 &&
  valueOf(samples, 'zookeeper_ensemble_synced_followers') === 2 &&
  valueOf(samples, 'zookeeper_probe_success') === 1;

/** A collector on the devstack cluster, as the scheduler would build it, with its log lines kept. */
function createSut(cluster: MonitoredCluster = devstackCluster()) {
  const logLines: Array<{ msg: string; server?: string }> = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(JSON.parse(chunk.toString())), done()) });
  const context = { ...collectorContext(cluster), logger: pino({ level: 'warn' }, sink) };
  const collector = zookeeperCollector(context) as Collector;
  return {
    collector,
    logLines,
    collect: async () => allSamples(await collector.collect(new AbortController().signal)),
    close: async () => (await collector.close(), await context.close()),
  };
}

describe('zookeeper collector (devstack)', () => {
  let sut: ReturnType<typeof createSut>;
  let admin: Admin;

  /** Every ZooKeeper server up with the standard whitelist, healthy, and one leader with two synced followers. */
  async function restoreEnsemble(): Promise<void> {
    for (const node of zk) await startNode(node.name);
    for (const node of zk) await waitHealthy(node.name, 60000);
    await eventually(sut.collect, healthy, 60000, 'a healthy ensemble');
  }

  beforeAll(async () => {
    setReporter(() => undefined);
    admin = await connectAdmin(endpoints.kafkaBrokers);
    sut = createSut();
    await restoreEnsemble();
  });

  afterAll(async () => {
    await restoreEnsemble(); // never leave the shared stack broken
    await sut.close();
    await admin.disconnect();
  });

  it('reports three servers, one leader, quorum, two synced followers, a working probe and matching broker registrations', async () => {
    // Another engineer's test may have a broker down for a moment; the registrations must match all three.
    const kafka = await eventually(() => admin.describeCluster(), (c) => c.brokers.length === 3, 90000, 'three Kafka brokers');
    const samples = await eventually(sut.collect, (s) => healthy(s) && valueOf(s, 'zookeeper_kafka_brokers_registered') === 3, 30000, 'three registered brokers');

    expect(valueOf(samples, 'zookeeper_servers_configured')).toBe(3);
    expect(valueOf(samples, 'zookeeper_servers_serving')).toBe(3);
    const states = servers.map((server) => valueOf(samples, 'zookeeper_server_state', { server })).sort();
    expect(states).toEqual([1, 1, 2]);
    for (const server of servers) {
      expect(valueOf(samples, 'zookeeper_mntr_available', { server })).toBe(1);
      expect(valueOf(samples, 'zookeeper_stats_source', { server })).toBe(1);
      expect(valueOf(samples, 'zookeeper_znodes', { server })).toBeGreaterThan(0);
      expect(valueOf(samples, 'zookeeper_server_version', { server })).toBe(30804); // the devstack runs ZooKeeper 3.8.4
    }
    // The leader the samples name is the one ZooKeeper itself names.
    const [leader] = leadersIn(samples);
    const node = zk.find((n) => serverOf(n) === leader)!;
    expect(parseMntr(await fourLetterWord(node.host, node.port, 'mntr')).get('zk_server_state')).toBe('leader');
    expect(valueOf(samples, 'zookeeper_synced_followers', { server: leader })).toBe(2);

    expect(valueOf(samples, 'zookeeper_probe_latency_seconds')).toBeGreaterThan(0);
    expect(valueOf(samples, 'zookeeper_probe_latency_seconds')).toBeLessThan(2);
    expect(valueOf(samples, 'zookeeper_kafka_brokers_in_metadata')).toBe(kafka.brokers.length);
    expect(valueOf(samples, 'zookeeper_kafka_broker_registration_mismatch')).toBe(0);
    const { controller } = await admin.describeCluster();
    expect(valueOf(samples, 'zookeeper_kafka_controller_id')).toBe(controller);
  });

  it('sees a new leader, two servers up and the quorum kept after the leader is killed', async () => {
    const before = await eventually(sut.collect, healthy, 30000, 'a healthy ensemble');
    const [oldLeader] = leadersIn(before);
    const oldNode = zk.find((n) => serverOf(n) === oldLeader)!;
    const changesBefore = valueOf(before, 'zookeeper_leader_changes_total')!;
    try {
      await killNode(oldNode.name);
      const after = await eventually(
        sut.collect,
        (s) => leadersIn(s).length === 1 && leadersIn(s)[0] !== oldLeader && valueOf(s, 'zookeeper_servers_up') === 2,
        20000,
        `a new leader after killing ${oldNode.name}`,
      );
      expect(valueOf(after, 'zookeeper_quorum_up')).toBe(1);
      expect(valueOf(after, 'zookeeper_server_up', { server: oldLeader })).toBe(0);
      expect(valueOf(after, 'zookeeper_server_state', { server: oldLeader })).toBeUndefined();
      expect(valueOf(after, 'zookeeper_ensemble_synced_followers')).toBe(1);
      expect(valueOf(after, 'zookeeper_leader_changes_total')).toBeGreaterThan(changesBefore);
    } finally {
      await startNode(oldNode.name);
    }
    await eventually(sut.collect, healthy, 60000, `${oldNode.name} back in the ensemble`);
  });

  it('reports no quorum while two of three servers are stopped, and recovers (session included) when they are back', async () => {
    const [first, second, survivor] = zk;
    try {
      await Promise.all([stopNode(first.name), stopNode(second.name)]);
      // A surviving leader keeps its role for a few ticks; its synced followers tell at once that it has no quorum.
      const lost = await eventually(sut.collect, (s) => valueOf(s, 'zookeeper_quorum_up') === 0 && valueOf(s, 'zookeeper_servers_up') === 1, 20000, 'quorum lost');
      expect(valueOf(lost, 'zookeeper_server_up', { server: serverOf(survivor) })).toBe(1);
      expect(valueOf(lost, 'zookeeper_probe_success')).toBe(0);
      expect(valueOf(lost, 'zookeeper_probe_latency_seconds')).toBeUndefined();

      const settled = await eventually(sut.collect, (s) => valueOf(s, 'zookeeper_server_state', { server: serverOf(survivor) }) === 0, 20000, `${survivor.name} giving up its role`);
      expect(valueOf(settled, 'zookeeper_quorum_up')).toBe(0);
      expect(valueOf(settled, 'zookeeper_servers_serving')).toBe(0);
      expect(leadersIn(settled)).toEqual([]);
      expect(valueOf(settled, 'zookeeper_probe_success')).toBe(0);
    } finally {
      await Promise.all([startNode(first.name), startNode(second.name)]);
    }
    const recovered = await eventually(sut.collect, (s) => healthy(s) && valueOf(s, 'zookeeper_kafka_broker_registration_mismatch') === 0, 60000, 'ensemble and probe back');
    expect(valueOf(recovered, 'zookeeper_probe_success')).toBe(1);
  });

  it('reports mntr unavailable on a server that does not whitelist it, with statistics from its AdminServer, never zeros', async () => {
    const zk3 = zk[2];
    const server = serverOf(zk3);
    const withoutAdmin = devstackCluster();
    withoutAdmin.zookeeper = { ...withoutAdmin.zookeeper!, adminUrls: withoutAdmin.zookeeper!.adminUrls.slice(0, 2) };
    const noFallback = createSut(withoutAdmin);
    try {
      await startNode(zk3.name, { fourLetterWords: 'ruok,srvr' });
      expect(await fourLetterWord(zk3.host, zk3.port, 'mntr')).toMatch(/not in the whitelist/);
      const samples = await eventually(sut.collect, healthy, 30000, 'a healthy ensemble with zk3 restricted');

      expect(valueOf(samples, 'zookeeper_server_up', { server })).toBe(1);
      expect(valueOf(samples, 'zookeeper_mntr_available', { server })).toBe(0);
      expect(valueOf(samples, 'zookeeper_stats_source', { server })).toBe(2);
      const direct = (await (await fetch(`http://${zk3.host}:${zk3.adminPort}/commands/monitor`)).json()) as Record<string, number>;
      expect(valueOf(samples, 'zookeeper_max_file_descriptors', { server })).toBe(direct.max_file_descriptor_count);
      expect(valueOf(samples, 'zookeeper_znodes', { server })).toBeGreaterThan(0);
      expect(valueOf(samples, 'zookeeper_uptime_seconds', { server })).toBeGreaterThan(0);
      // The same statistics as a server that answers mntr (leader-only ones aside).
      const names = (of: string) => samples.filter((s) => s.labels.server === of && s.metric !== 'zookeeper_server_is_leader').map((s) => s.metric);
      const leaderOnly = ['zookeeper_followers', 'zookeeper_synced_followers', 'zookeeper_pending_syncs'];
      const follower = servers.find((s) => s !== server && !leadersIn(samples).includes(s))!;
      expect(names(server).filter((n) => !leaderOnly.includes(n)).sort()).toEqual(names(follower).filter((n) => !leaderOnly.includes(n)).sort());

      // Without an AdminServer the statistics are missing, not zero; srvr still gives the role.
      const bare = await noFallback.collect();
      expect(valueOf(bare, 'zookeeper_mntr_available', { server })).toBe(0);
      expect(valueOf(bare, 'zookeeper_stats_source', { server })).toBe(0);
      expect(valueOf(bare, 'zookeeper_znodes', { server })).toBeUndefined();
      expect(valueOf(bare, 'zookeeper_request_latency_avg_seconds', { server })).toBeUndefined();
      expect([1, 2]).toContain(valueOf(bare, 'zookeeper_server_state', { server }));

      // One log line per server and interval, not one per collection.
      await noFallback.collect();
      const warnings = noFallback.logLines.filter((line) => line.msg.startsWith(`mntr is not in 4lw.commands.whitelist on ${server}`));
      expect(warnings).toHaveLength(1);
      expect(warnings[0].msg).toMatch(/statistics are missing/);
      expect(sut.logLines.filter((line) => line.msg.includes('mntr')).map((line) => line.msg)).toEqual([
        `mntr is not in 4lw.commands.whitelist on ${server}; reading its statistics from the AdminServer instead`,
      ]);
    } finally {
      await noFallback.close();
      await startNode(zk3.name); // the standard whitelist again
    }
    expect(parseMntr(await fourLetterWord(zk3.host, zk3.port, 'mntr')).has('zk_server_state')).toBe(true);
    await eventually(sut.collect, (s) => healthy(s) && valueOf(s, 'zookeeper_mntr_available', { server }) === 1, 60000, 'mntr back on zk3');
  });

  it('emits only catalogued metrics with their catalogued labels, in batches the metric event contract accepts', async () => {
    const batches = await sut.collector.collect(new AbortController().signal);
    const catalogue = new Map(zookeeperMetricGroup.metrics.map((metric) => [metric.name, metric]));
    for (const batch of batches) {
      const event = { schemaVersion: METRIC_EVENT_SCHEMA_VERSION, cluster: 'local', source: { agentId: 'test-agent', collector: 'zookeeper' }, timestamp: Date.now(), samples: batch.samples };
      expect(metricBatchSchema.safeParse(event).error).toBeUndefined();
      for (const s of batch.samples) expect([s.metric, Object.keys(s.labels).sort()]).toEqual([s.metric, [...(catalogue.get(s.metric)?.labels ?? ['not catalogued'])].sort()]);
    }
    // Per-server batches and one for the ensemble, so every series of a scope keeps its partition.
    expect(batches.map((b) => b.scope).sort()).toEqual(['ensemble', ...servers.map((s) => `server ${s}`)].sort());
  });
});
