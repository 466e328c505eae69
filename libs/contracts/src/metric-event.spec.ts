import { METRIC_EVENT_SCHEMA_VERSION, metricBatchSchema } from './metric-event';
import { topicNames } from './topics';

const validBatch = () => ({
  schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
  cluster: 'local',
  source: { agentId: 'agent-1', collector: 'kafka-cluster' },
  timestamp: 1_764_000_000_000,
  samples: [{ metric: 'kafka_brokers_up', labels: { cluster: 'local' }, value: 3 }],
});

describe('metric event contract', () => {
  it('accepts a well-formed batch', () => {
    expect(metricBatchSchema.safeParse(validBatch()).success).toBe(true);
  });

  it.each([
    ['an unknown schema version', (b: any) => (b.schemaVersion = 2), 'schemaVersion'],
    ['a missing cluster', (b: any) => delete b.cluster, 'cluster'],
    ['a fractional timestamp', (b: any) => (b.timestamp = 1.5), 'timestamp'],
    ['a metric name with spaces', (b: any) => (b.samples[0].metric = 'bad name'), 'samples.0.metric'],
    ['a non-finite value', (b: any) => (b.samples[0].value = Infinity), 'samples.0.value'],
    ['a numeric label value', (b: any) => (b.samples[0].labels.broker = 1), 'samples.0.labels.broker'],
    ['a label name with a dash', (b: any) => (b.samples[0].labels['bad-name'] = 'x'), 'samples.0.labels.bad-name'],
  ])('rejects %s and says where', (_, mutate, path) => {
    const batch = validBatch();
    mutate(batch);
    const result = metricBatchSchema.safeParse(batch);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('topic names', () => {
  it('derives every topic from one prefix', () => {
    expect(topicNames('acme')).toEqual({
      metrics: 'acme.metrics',
      metricsDeadLetter: 'acme.metrics.dlq',
      rollups: 'acme.metrics.rollup',
      alerts: 'acme.alerts',
      anomalies: 'acme.anomalies',
    });
  });
});
