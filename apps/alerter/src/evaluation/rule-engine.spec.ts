import { MetricBatch } from '@doflamingo/contracts';
import { alertRuleSchema, AlertRuleInput } from '../rules/alert-rule';
import { RuleEngine } from './rule-engine';

const rule = (overrides: Partial<AlertRuleInput>) =>
  alertRuleSchema.parse({ name: 'r', metric: 'm', op: '>', threshold: 10, severity: 'warning', message: '{{cluster}} {{broker}} at {{value}}', ...overrides });

const batch = (timestamp: number, samples: Array<[string, Record<string, string>, number]>, cluster = 'c1'): MetricBatch => ({
  schemaVersion: 1,
  cluster,
  source: { agentId: 'a', collector: 'x' },
  timestamp,
  samples: samples.map(([metric, labels, value]) => ({ metric, labels, value })),
});

/** Feeds one value per second (at t, and evaluates at t) and returns the events of each step. */
function run(engine: RuleEngine, values: number[], labels = { broker: '1' }, start = 1_000_000) {
  return values.map((value, i) => {
    const t = start + i * 1000;
    engine.ingest(batch(t, [['m', labels, value]]));
    return engine.evaluate(t).map((e) => e.state);
  });
}

describe('RuleEngine', () => {
  it('is pending until the condition has held for `for`, then fires once and resolves after clearFor', () => {
    const engine = new RuleEngine([rule({ for: '3s', clearFor: '2s' })]);
    const steps = run(engine, [5, 11, 12, 13, 14, 15, 16, 5, 5, 5, 5]);
    expect(steps).toEqual([[], ['pending'], [], [], ['firing'], [], [], [], [], ['resolved'], []]);
  });

  it('names the alert by rule, cluster and labels, and fills the message', () => {
    const engine = new RuleEngine([rule({})]);
    engine.ingest(batch(1000, [['m', { broker: '2' }, 42.123456]]));
    const [event] = engine.evaluate(1000);
    expect(event).toMatchObject({ id: 'r/c1/broker=2', rule: 'r', state: 'firing', cluster: 'c1', labels: { broker: '2' }, value: 42.123456, message: 'c1 2 at 42.1', startsAt: 1000, firedAt: 1000 });
  });

  it('does not flap: a value bouncing around the threshold keeps one firing alert (clearThreshold and clearFor)', () => {
    const engine = new RuleEngine([rule({ threshold: 10, clearThreshold: 8, clearFor: '5s' })]);
    const steps = run(engine, [11, 9, 11, 9, 7, 11, 7, 7, 7, 7, 7, 7]);
    expect(steps.flat()).toEqual(['firing', 'resolved']);
    expect(steps.findIndex((s) => s.includes('resolved'))).toBe(11); // 7 from index 6 on, 5 s later
  });

  it('resolves a pending alert that cleared before `for`, marked as never fired', () => {
    const engine = new RuleEngine([rule({ for: '10s' })]);
    run(engine, [11]);
    engine.ingest(batch(1_001_000, [['m', { broker: '1' }, 3]]));
    const [event] = engine.evaluate(1_001_000);
    expect(event).toMatchObject({ state: 'resolved', firedAt: null });
  });

  it('resolves as "no data" when the series stops being reported for staleAfter + clearFor', () => {
    const engine = new RuleEngine([rule({ staleAfter: '5s', clearFor: '2s' })]);
    run(engine, [20]);
    expect(engine.evaluate(1_005_000)).toEqual([]);
    expect(engine.evaluate(1_006_000)).toEqual([]); // stale: the clearFor clock starts
    const [event] = engine.evaluate(1_008_000);
    expect(event).toMatchObject({ state: 'resolved' });
    expect(event.message).toMatch(/^Resolved \(no data\)/);
  });

  it('keeps alerts of different series and clusters apart, and only matches the rule\'s labels and clusters', () => {
    const engine = new RuleEngine([rule({ labels: { topic: 'orders-*' }, cluster: 'prod-*' })]);
    engine.ingest(batch(1000, [['m', { topic: 'orders-eu' }, 50], ['m', { topic: 'orders-us' }, 50], ['m', { topic: 'audit' }, 50], ['m', {}, 50]], 'prod-1'));
    engine.ingest(batch(1000, [['m', { topic: 'orders-eu' }, 50]], 'test-1'));
    expect(engine.evaluate(1000).map((e) => e.id).sort()).toEqual(['r/prod-1/topic=orders-eu', 'r/prod-1/topic=orders-us']);
  });

  it('aggregates across series: the active controller count is the sum over brokers', () => {
    const engine = new RuleEngine([rule({ metric: 'kafka_controller_active_count', aggregate: 'sum', op: '!=', threshold: 1, message: '{{value}} controllers' })]);
    engine.ingest(batch(1000, [['kafka_controller_active_count', { broker: '1' }, 1], ['kafka_controller_active_count', { broker: '2' }, 0]]));
    expect(engine.evaluate(1000)).toEqual([]);
    engine.ingest(batch(2000, [['kafka_controller_active_count', { broker: '2' }, 1]]));
    const [event] = engine.evaluate(2000);
    expect(event).toMatchObject({ id: 'r/c1', state: 'firing', labels: {}, value: 2, message: '2 controllers' });
  });

  it('fires on a counter increase within the window and resolves once the window has no increase', () => {
    const engine = new RuleEngine([rule({ input: 'increase', window: '5s', op: '>', threshold: 0, clearFor: 0 })]);
    const steps = run(engine, [3, 3, 4, 4, 4, 4, 4, 4, 4]);
    expect(steps).toEqual([[], [], ['firing'], [], [], [], [], ['resolved'], []]);
  });

  it('predicts when a shrinking value crosses the threshold within the horizon', () => {
    const engine = new RuleEngine([rule({ input: 'predicted', window: '10s', horizon: '60s', op: '<', threshold: 0 })]);
    // 1,000 free bytes, falling 10 per second: empty after 100 s, beyond a 60 s horizon at first.
    const steps = run(engine, Array.from({ length: 50 }, (_, i) => 1000 - 10 * i));
    const firedAt = steps.findIndex((s) => s.includes('firing'));
    expect(firedAt).toBe(41); // at 590 bytes left, 59 s to go
  });

  it('ignores a batch older than the latest it has (a redelivery) instead of going back in time', () => {
    const engine = new RuleEngine([rule({})]);
    engine.ingest(batch(2000, [['m', { broker: '1' }, 5]]));
    engine.ingest(batch(1000, [['m', { broker: '1' }, 50]]));
    expect(engine.evaluate(2000)).toEqual([]);
  });

  it('after a restart takes back firing alerts instead of raising them again, and resolves them when the condition is gone', () => {
    const first = new RuleEngine([rule({ clearFor: 0 })]);
    first.ingest(batch(1000, [['m', { broker: '1' }, 50]]));
    const [fired] = first.evaluate(1000);

    const second = new RuleEngine([rule({ clearFor: 0 })]);
    second.restore([fired], 5000);
    second.ingest(batch(5000, [['m', { broker: '1' }, 60]]));
    expect(second.evaluate(5000)).toEqual([]);
    second.ingest(batch(6000, [['m', { broker: '1' }, 1]]));
    expect(second.evaluate(6000)).toEqual([expect.objectContaining({ id: fired.id, state: 'resolved', startsAt: 1000, firedAt: 1000 })]);
  });

  it('resolves a restored alert whose rule no longer exists', () => {
    const engine = new RuleEngine([rule({ name: 'other' })]);
    engine.restore([{ schemaVersion: 1, id: 'gone/c1', rule: 'gone', state: 'firing', severity: 'info', cluster: 'c1', labels: {}, message: 'x', value: 1, startsAt: 1, at: 2 }], 10);
    expect(engine.evaluate(10)).toEqual([expect.objectContaining({ id: 'gone/c1', state: 'resolved' })]);
  });
});
