import { metricBatchSchema, MetricSample } from '@doflamingo/contracts';
import { ProbeCollector } from '../../apps/agent/src/collectors/probe/probe.collector';
import { setReporter } from '../../devstack/progress';
import { pauseNode, resumeNode } from '../../devstack/stack';
import { allSamples, collectorContext, valueOf } from '../support/collector-harness';
import { eventually } from '../support/eventually';

describe('end-to-end probe (devstack)', () => {
  const context = collectorContext();
  const sut = new ProbeCollector(context, 2000, `doflamingo.probe.test-${process.pid}`);
  const collect = async () => allSamples(await sut.collect());
  let hungNode: string | undefined;

  beforeAll(() => setReporter(() => undefined));
  afterAll(async () => {
    if (hungNode) await resumeNode(hungNode).catch(() => undefined);
    await sut.close();
    const admin = await context.clients.connectedAdmin();
    await admin.deleteTopics({ topics: [`doflamingo.probe.test-${process.pid}`] }).catch(() => undefined);
    await context.close();
  });

  it('produces to a partition led by each broker and reads every message back', async () => {
    const samples = await eventually(
      collect,
      (s) => ['1', '2', '3'].every((broker) => s.some((x) => x.metric === 'kafka_probe_roundtrip_latency_seconds' && x.labels.broker === broker)),
      60000,
      'a round trip through every broker',
    );
    for (const partition of ['0', '1', '2']) {
      const labels = { partition, broker: String(Number(partition) + 1) };
      expect(valueOf(samples, 'kafka_probe_produce_success', labels)).toBe(1);
      expect(valueOf(samples, 'kafka_probe_produce_latency_seconds', labels)).toBeGreaterThan(0);
      expect(valueOf(samples, 'kafka_probe_roundtrip_latency_seconds', labels)).toBeLessThan(5);
      expect(valueOf(samples, 'kafka_probe_messages_lost_total', labels)).toBe(0);
    }
    const batch = { schemaVersion: 1, cluster: 'local', source: { agentId: 'a', collector: 'probe' }, timestamp: Date.now(), samples };
    expect(metricBatchSchema.safeParse(batch).success).toBe(true);
  });

  it('shows a hung broker (SIGSTOP) as failed sends while the other brokers keep acknowledging', async () => {
    // Leaders move when brokers restart, so hang whichever broker leads partition 1 right now.
    const admin = await context.clients.connectedAdmin();
    const [topic] = (await admin.fetchTopicMetadata({ topics: [`doflamingo.probe.test-${process.pid}`] })).topics;
    const hung = String(topic.partitions.find((p) => p.partitionId === 1)!.leader);
    hungNode = `kafka${hung}`;
    const success = (s: MetricSample[], ofHung: boolean, value: number) =>
      s.some((x) => x.metric === 'kafka_probe_produce_success' && (x.labels.broker === hung) === ofHung && x.value === value);
    await pauseNode(hungNode);
    try {
      const samples = await eventually(
        collect,
        (s) => success(s, true, 0) && success(s, false, 1),
        30000,
        'a failed send to the hung broker while another broker still acknowledges',
      );
      const errors = samples.filter((x) => x.metric === 'kafka_probe_produce_errors_total' && x.labels.broker === hung);
      expect(errors.reduce((sum, x) => sum + x.value, 0)).toBeGreaterThan(0);
    } finally {
      await resumeNode(hungNode);
    }
  });
});
