import { CONSUMER_STATUS, CONSUMER_STATUS_CODE, metricCatalogue, MetricSample, metricSampleSchema } from '@doflamingo/contracts';
import { ConsumerGroupEvaluator, GroupSnapshot, GroupsSnapshot, groupScope } from './consumer-group-evaluator';
import { ConsumerHealth } from './consumer-health';
import { EndOffsetHistory } from './end-offset-history';

const SECOND = 1000;
const owned = () => true;
const nobody = () => false;

function createSut() {
  return new ConsumerGroupEvaluator(new ConsumerHealth({ windowSize: 3, minStopMs: 5 * SECOND }), new EndOffsetHistory(10));
}

function group(groupId: string, committed: Record<string, number[]> | undefined, overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return {
    groupId,
    state: 'Stable',
    members: 1,
    ownership: owned,
    offsets: committed && Object.entries(committed).map(([topic, offsets]) => ({ topic, partitions: offsets.map((offset, partition) => ({ partition, offset: String(offset) })) })),
    ...overrides,
  };
}

function snapshot(t: number, groups: GroupSnapshot[], ends: Record<string, number[]>, unreadableTopics: string[] = []): GroupsSnapshot {
  const endOffsets = new Map(Object.entries(ends));
  return { at: t * SECOND, listed: true, groups, endOffsets, unreadableTopics: new Set(unreadableTopics) };
}

function valueOf(samples: MetricSample[], metric: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return samples.find((s) => s.metric === metric && JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
}

const all = (batches: { samples: MetricSample[] }[]) => batches.flatMap((b) => b.samples);

describe('ConsumerGroupEvaluator', () => {
  it('reports committed offset, lag, trend and status per partition and totals per group', () => {
    const sut = createSut();
    const samples = all(sut.evaluate(snapshot(0, [group('app', { orders: [90, 200] })], { orders: [100, 200] })));
    const p0 = { group: 'app', topic: 'orders', partition: '0' };
    expect(valueOf(samples, 'kafka_consumer_group_partition_committed_offset', p0)).toBe(90);
    expect(valueOf(samples, 'kafka_consumer_group_partition_lag', p0)).toBe(10);
    expect(valueOf(samples, 'kafka_consumer_group_partition_status', p0)).toBe(CONSUMER_STATUS_CODE.OK);
    expect(valueOf(samples, 'kafka_consumer_group_lag', { group: 'app' })).toBe(10);
    expect(valueOf(samples, 'kafka_consumer_group_partitions', { group: 'app' })).toBe(2);
    expect(valueOf(samples, 'kafka_consumer_group_members', { group: 'app' })).toBe(1);
    expect(valueOf(samples, 'kafka_consumer_group_state', { group: 'app' })).toBe(3);
    expect(valueOf(samples, 'kafka_consumer_groups')).toBe(1);
    expect(valueOf(samples, 'kafka_consumer_groups_reachable')).toBe(1);
  });

  it('adds lag in seconds from the second collection on, per partition and as the group maximum', () => {
    const sut = createSut();
    const first = all(sut.evaluate(snapshot(0, [group('app', { orders: [100, 0] })], { orders: [100, 0] })));
    expect(valueOf(first, 'kafka_consumer_group_partition_lag_seconds', { group: 'app', topic: 'orders', partition: '0' })).toBe(0);
    const second = all(sut.evaluate(snapshot(10, [group('app', { orders: [100, 0] })], { orders: [200, 0] })));
    expect(valueOf(second, 'kafka_consumer_group_partition_lag_seconds', { group: 'app', topic: 'orders', partition: '0' })).toBeCloseTo(9.9);
    expect(valueOf(second, 'kafka_consumer_group_partition_lag_seconds', { group: 'app', topic: 'orders', partition: '1' })).toBe(0);
    expect(valueOf(second, 'kafka_consumer_group_max_lag_seconds', { group: 'app' })).toBeCloseTo(9.9);
  });

  it('leaves the lag in seconds out while it cannot be known (first sight of a lagging partition)', () => {
    const samples = all(createSut().evaluate(snapshot(0, [group('app', { orders: [50] })], { orders: [100] })));
    expect(valueOf(samples, 'kafka_consumer_group_partition_lag_seconds', { group: 'app', topic: 'orders', partition: '0' })).toBeUndefined();
    expect(valueOf(samples, 'kafka_consumer_group_max_lag_seconds', { group: 'app' })).toBeUndefined();
  });

  it('rolls partition statuses up into the group status and counts groups by status', () => {
    const sut = createSut();
    let samples: MetricSample[] = [];
    for (let i = 0; i < 5; i++) {
      const groups = [
        group('healthy', { orders: [i * 100] }),
        group('slow', { orders: [i * 10] }),
        group('dead', { orders: [0] }, { state: 'Empty', members: 0, ownership: nobody }),
      ];
      samples = all(sut.evaluate(snapshot(i * 10, groups, { orders: [i * 100] })));
    }
    const statusOf = (g: string) => CONSUMER_STATUS[valueOf(samples, 'kafka_consumer_group_status', { group: g })!];
    expect([statusOf('healthy'), statusOf('slow'), statusOf('dead')]).toEqual(['OK', 'WARN', 'ERR']);
    expect(CONSUMER_STATUS[valueOf(samples, 'kafka_consumer_group_partition_status', { group: 'dead', topic: 'orders', partition: '0' })!]).toBe('STOP');
    expect(valueOf(samples, 'kafka_consumer_group_state', { group: 'dead' })).toBe(5);
    expect([['OK'], ['WARN'], ['ERR']].map(([status]) => valueOf(samples, 'kafka_consumer_groups_by_status', { status }))).toEqual([1, 1, 1]);
    expect(valueOf(samples, 'kafka_consumer_group_lag_trend', { group: 'slow' })).toBeCloseTo(9); // lag 180 → 360 over the 20 s the window (3) spans
  });

  it('calls a group with members but no commits yet OK, with nothing to lag', () => {
    const samples = all(createSut().evaluate(snapshot(0, [group('new', {})], {})));
    expect(valueOf(samples, 'kafka_consumer_group_status', { group: 'new' })).toBe(CONSUMER_STATUS_CODE.OK);
    expect(valueOf(samples, 'kafka_consumer_group_lag', { group: 'new' })).toBe(0);
    expect(valueOf(samples, 'kafka_consumer_group_partitions', { group: 'new' })).toBe(0);
  });

  it('ignores partitions without a commit (-1) and commits on topics that no longer exist', () => {
    const samples = all(createSut().evaluate(snapshot(0, [group('app', { orders: [-1, 5], deleted: [7] })], { orders: [10, 10] })));
    expect(valueOf(samples, 'kafka_consumer_group_partitions', { group: 'app' })).toBe(1);
    expect(samples.some((s) => s.labels.topic === 'deleted' || s.labels.partition === '0')).toBe(false);
  });

  it('reports an unreadable group by state only, counts it, and keeps its history for the next collection', () => {
    const sut = createSut();
    const lagging = () => group('app', { orders: [0] }, { state: 'Empty', members: 0, ownership: nobody });
    sut.evaluate(snapshot(0, [lagging()], { orders: [100] }));
    const unread = sut.evaluate(snapshot(10, [group('app', undefined)], { orders: [110] }));
    expect(unread.map((b) => b.scope)).toEqual([groupScope('app'), 'consumer-groups']);
    expect(valueOf(all(unread), 'kafka_consumer_groups_unreadable')).toBe(1);
    expect(valueOf(all(unread), 'kafka_consumer_group_status', { group: 'app' })).toBeUndefined();
    const back = all(sut.evaluate(snapshot(20, [lagging()], { orders: [120] })));
    expect(CONSUMER_STATUS[valueOf(back, 'kafka_consumer_group_status', { group: 'app' })!]).toBe('ERR'); // STOP: silent since t=0
  });

  it('keeps only the committed offset of a partition whose log-end offset could not be read', () => {
    const samples = all(createSut().evaluate(snapshot(0, [group('app', { orders: [5] })], {}, ['orders'])));
    expect(valueOf(samples, 'kafka_consumer_group_partition_committed_offset', { group: 'app', topic: 'orders', partition: '0' })).toBe(5);
    expect(valueOf(samples, 'kafka_consumer_group_partition_lag', { group: 'app', topic: 'orders', partition: '0' })).toBeUndefined();
    expect(valueOf(samples, 'kafka_consumer_group_partitions', { group: 'app' })).toBe(1);
    expect(valueOf(samples, 'kafka_consumer_groups_unreadable')).toBe(1);
  });

  it('says the groups were not listed when it evaluates those of the last list', () => {
    const samples = all(createSut().evaluate({ ...snapshot(0, [group('app', { orders: [5] })], { orders: [5] }), listed: false }));
    expect(valueOf(samples, 'kafka_consumer_groups_reachable')).toBe(0);
    expect(valueOf(samples, 'kafka_consumer_group_status', { group: 'app' })).toBe(CONSUMER_STATUS_CODE.OK);
  });

  it('puts each group in its own batch, and builds only valid, catalogued samples', () => {
    const batches = createSut().evaluate(snapshot(0, [group('a', { t: [1] }), group('b', { t: [0] }, { members: undefined, state: 'Unknown' })], { t: [2] }));
    expect(batches.map((b) => b.scope)).toEqual(['consumer-group:a', 'consumer-group:b', 'consumer-groups']);
    const catalogue = metricCatalogue();
    for (const s of all(batches)) {
      expect(metricSampleSchema.safeParse(s).success).toBe(true);
      expect(Object.keys(s.labels).sort()).toEqual([...catalogue.get(s.metric)!.labels].sort());
    }
  });
});
