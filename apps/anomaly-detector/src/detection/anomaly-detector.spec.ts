import { anomalyEventSchema, METRIC_EVENT_SCHEMA_VERSION, MetricBatch, MetricSample } from '@doflamingo/contracts';
import { AnomalyDetector, DetectorOptions } from './anomaly-detector';

const options: DetectorOptions = {
  warmupSamples: 10,
  windowSamples: 20,
  threshold: 6,
  minSpread: 1e-3,
  minSpreadRatio: 0.01,
  maxSeries: 1000,
  seriesIdleMs: 60_000,
  isCounter: (metric) => metric.endsWith('_total'),
};
const sut = (overrides: Partial<DetectorOptions> = {}) => new AnomalyDetector({ ...options, ...overrides });

const T0 = 1_764_000_000_000;
const batch = (at: number, samples: MetricSample[], cluster = 'prod'): MetricBatch => ({
  schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
  cluster,
  source: { agentId: 'test', collector: 'test' },
  timestamp: at,
  samples,
});
/** Alternates 99, 101, 100 …: a steady series with a little noise. */
const steady = (i: number) => 100 + ((i % 3) - 1);

/** Feeds `values` of one gauge series, 10 s apart; returns every anomaly event. */
function run(detector: AnomalyDetector, values: number[], metric = 'kafka_request_latency', labels: Record<string, string> = { broker: '1' }, from = 0) {
  return values.flatMap((value, i) => detector.observe(batch(T0 + (from + i) * 10_000, [{ metric, labels, value }]), 0));
}

describe('AnomalyDetector', () => {
  it('publishes one valid anomaly event for a spike, with the steady values inside its expected range', () => {
    const detector = sut();
    const values = [...Array.from({ length: 30 }, (_, i) => steady(i)), 500];
    const events = run(detector, values);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(anomalyEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({ cluster: 'prod', metric: 'kafka_request_latency', labels: { broker: '1' }, at: T0 + 30 * 10_000, value: 500, direction: 'high', basis: 'value', detector: 'ewma-mad(k=6,window=20)' });
    expect(event.expected.low).toBeLessThanOrEqual(99);
    expect(event.expected.high).toBeGreaterThanOrEqual(101);
    expect(event.expected.high).toBeLessThan(500);
    expect(event.score).toBeGreaterThan(6);
  });

  it('reports an episode once: a run of anomalous samples is one event, a new one after the series came back', () => {
    const detector = sut();
    const calm = (n: number) => Array.from({ length: n }, (_, i) => steady(i));
    const events = run(detector, [...calm(30), 500, 520, 510, ...calm(3), 480, ...calm(5), 0]);
    expect(events.map((e) => [e.value, e.direction])).toEqual([
      [500, 'high'],
      [480, 'high'],
      [0, 'low'],
    ]);
  });

  it('keeps an episode open until enough samples are back inside the band (a value hovering at the edge is one episode)', () => {
    const detector = sut();
    const calm = Array.from({ length: 30 }, (_, i) => steady(i));
    const events = run(detector, [...calm, 500, 100, 500, 100, 100, 500]);
    expect(events.map((e) => e.value)).toEqual([500]);
  });

  it('starts a new episode when the series jumps to the other side of its band', () => {
    const detector = sut();
    const calm = Array.from({ length: 30 }, (_, i) => steady(i));
    expect(run(detector, [...calm, 500, -300]).map((e) => e.direction)).toEqual(['high', 'low']);
  });

  it('judges counters by their per-second rate: steady growth is normal, a burst is an anomaly in messages/s', () => {
    const detector = sut();
    let total = 1e9;
    const values: number[] = [];
    for (let i = 0; i < 30; i++) values.push((total += 1000 + ((i % 3) - 1) * 10)); // ~100/s, 10 s apart
    values.push((total += 50_000)); // 5 000/s for one interval
    const events = run(detector, values, 'kafka_messages_in_total', { topic: 'orders' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ basis: 'rate', value: 5000, direction: 'high' });
    expect(events[0].expected.center).toBeGreaterThan(98);
    expect(events[0].expected.center).toBeLessThan(102);
  });

  it('does not take a counter reset for an anomaly', () => {
    const detector = sut();
    const values = Array.from({ length: 30 }, (_, i) => 1e6 + i * 1000);
    const afterReset = Array.from({ length: 10 }, (_, i) => i * 1000);
    expect(run(detector, [...values, ...afterReset], 'kafka_bytes_in_total')).toEqual([]);
  });

  it('learns a replayed batch once (at-least-once delivery)', () => {
    const detector = sut();
    const first = batch(T0, [{ metric: 'm', labels: {}, value: 1 }]);
    detector.observe(first, 0);
    detector.observe(first, 0);
    detector.observe(batch(T0 - 1, [{ metric: 'm', labels: {}, value: 1 }]), 0);
    expect(detector.stats).toMatchObject({ samples: 3, replays: 2 });
  });

  it('keeps one baseline per cluster, metric and label set, whatever the label order', () => {
    const detector = sut();
    detector.observe(batch(T0, [{ metric: 'm', labels: { a: '1', b: '2' }, value: 1 }]), 0);
    detector.observe(batch(T0 + 1, [{ metric: 'm', labels: { b: '2', a: '1' }, value: 1 }]), 0);
    expect(detector.size).toBe(1);
    detector.observe(batch(T0, [{ metric: 'm', labels: { a: '1', b: '3' }, value: 1 }]), 0);
    detector.observe(batch(T0, [{ metric: 'm', labels: { a: '1', b: '2' }, value: 1 }], 'other'), 0);
    expect(detector.size).toBe(3);
  });

  it('forgets series idle for seriesIdleMs, and only those', () => {
    const detector = sut();
    const now = 5_000_000;
    detector.observe(batch(T0, [{ metric: 'old', labels: {}, value: 1 }]), 0, now);
    detector.observe(batch(T0, [{ metric: 'fresh', labels: {}, value: 1 }]), 0, now + 50_000);
    expect(detector.forgetIdle(now + 60_001)).toBe(1);
    expect(detector.size).toBe(1);
    expect(detector.stats.seriesForgotten).toBe(1);
    // A forgotten series starts over: it warms up again instead of being judged against old values.
    expect(run(detector, [1, 1e9], 'old', {}, 100)).toEqual([]);
  });

  it('tracks at most maxSeries series; new ones are refused and counted until room is made', () => {
    const detector = sut({ maxSeries: 2 });
    detector.observe(batch(T0, [1, 2, 3, 4].map((i) => ({ metric: 'm', labels: { i: String(i) }, value: i }))), 0, 0);
    expect(detector.size).toBe(2);
    expect(detector.stats.seriesRefused).toBe(2);
    detector.observe(batch(T0 + 10_000, [{ metric: 'm', labels: { i: '1' }, value: 1 }]), 0, 100_000);
    detector.forgetIdle(100_000);
    detector.observe(batch(T0 + 10_000, [{ metric: 'm', labels: { i: '3' }, value: 3 }]), 0, 100_000);
    expect(detector.size).toBe(2);
    expect(detector.stats.seriesRefused).toBe(2);
  });

  it('forgets the series of partitions it no longer owns after a rebalance', () => {
    const detector = sut();
    detector.observe(batch(T0, [{ metric: 'a', labels: {}, value: 1 }]), 0);
    detector.observe(batch(T0, [{ metric: 'b', labels: {}, value: 1 }]), 1);
    detector.observe(batch(T0, [{ metric: 'c', labels: {}, value: 1 }]), 2);
    expect(detector.keepPartitions([1, 2])).toBe(1);
    expect(detector.size).toBe(2);
  });
});
