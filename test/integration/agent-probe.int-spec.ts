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

  it('shows a hung broker (SIGSTOP): sends fail, then the cluster routes around it', async () => {
    // Hang whichever broker leads partition 1 now, as the probe itself last saw it (leaders move).
    const before = await collect();
    const hung = before.find((x) => x.metric === 'kafka_probe_produce_success' && x.labels.partition === '1')!.labels.broker;
    hungNode = `kafka${hung}`;
    const errors = (s: MetricSample[]) => s.filter((x) => x.metric === 'kafka_probe_produce_errors_total').reduce((sum, x) => sum + x.value, 0);
    const errorsBefore = errors(before);
    await pauseNode(hungNode);
    try {
      // acks=all: sends that need the hung broker (as leader or in-sync follower) time out.
      await eventually(collect, (s) => errors(s) > errorsBefore, 30000, 'failed probe sends while a broker hangs');
      // Once its ZooKeeper session expires, leadership and ISRs move off it and every send succeeds again.
      await eventually(
        collect,
        (s) => {
          const success = s.filter((x) => x.metric === 'kafka_probe_produce_success');
          return success.length === 3 && success.every((x) => x.value === 1 && x.labels.broker !== hung);
        },
        60000,
        'every partition acknowledged by the other brokers',
      );
    } finally {
      await resumeNode(hungNode);
    }
  });
});
