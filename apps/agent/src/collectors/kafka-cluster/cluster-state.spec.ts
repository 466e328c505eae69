import { MetricSample } from '@doflamingo/contracts';
import { ClusterSnapshot, clusterStateSamples, PartitionState } from './cluster-state';
import { OffsetRates } from './offset-rates';

const partition = (topic: string, id: number, leader: number, replicas: number[], isr: number[]): PartitionState => ({ topic, partition: id, leader, replicas, isr });

function snapshot(overrides: Partial<ClusterSnapshot>): ClusterSnapshot {
  return { liveBrokers: [1, 2, 3], knownBrokers: [1, 2, 3], controller: 1, partitions: [], minInsyncReplicas: new Map(), messagesInPerSecond: new Map(), ...overrides };
}

function value(samples: MetricSample[], metric: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.metric === metric && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
}

describe('clusterStateSamples', () => {
  it('reports a healthy cluster as healthy', () => {
    const sut = clusterStateSamples(snapshot({ partitions: [partition('orders', 0, 1, [1, 2, 3], [1, 2, 3]), partition('orders', 1, 2, [2, 3, 1], [2, 3, 1])], minInsyncReplicas: new Map([['orders', 2]]) }));
    expect(value(sut, 'kafka_brokers_up')).toBe(3);
    expect(value(sut, 'kafka_under_replicated_partitions')).toBe(0);
    expect(value(sut, 'kafka_offline_partitions')).toBe(0);
    expect(value(sut, 'kafka_under_min_isr_partitions')).toBe(0);
    expect(value(sut, 'kafka_preferred_leader_imbalance')).toBe(0);
    expect(value(sut, 'kafka_topic_partitions', { topic: 'orders' })).toBe(2);
    expect(value(sut, 'kafka_broker_leader_partitions', { broker: '3' })).toBe(0);
  });

  it('counts a dead broker: down, under-replicated, moved leaders, and under min ISR where only one replica is left', () => {
    const sut = clusterStateSamples(
      snapshot({
        liveBrokers: [1, 3],
        partitions: [
          partition('orders', 0, 1, [1, 2, 3], [1, 3]), // lost a follower
          partition('orders', 1, 3, [2, 3, 1], [3, 1]), // lost its preferred leader
          partition('rf2', 0, 1, [2, 1], [1]), // below min.insync.replicas=2
        ],
        minInsyncReplicas: new Map([['orders', 2], ['rf2', 2]]),
      }),
    );
    expect(value(sut, 'kafka_brokers_up')).toBe(2);
    expect(value(sut, 'kafka_broker_up', { broker: '2' })).toBe(0);
    expect(value(sut, 'kafka_under_replicated_partitions')).toBe(3);
    expect(value(sut, 'kafka_under_min_isr_partitions')).toBe(1);
    expect(value(sut, 'kafka_preferred_leader_imbalance')).toBe(2);
    expect(value(sut, 'kafka_topic_under_replicated_partitions', { topic: 'orders' })).toBe(2);
    expect(value(sut, 'kafka_partition_under_replicated', { topic: 'rf2', partition: '0' })).toBe(1);
    // Which replicas: one series per assigned broker, 1 in sync, 0 out of it.
    const replicas = (topic: string, partition: string) =>
      sut.filter((s) => s.metric === 'kafka_partition_replica_in_sync' && s.labels.topic === topic && s.labels.partition === partition).map((s) => [s.labels.broker, s.value]);
    expect(replicas('orders', '0')).toEqual([['1', 1], ['2', 0], ['3', 1]]);
    expect(replicas('rf2', '0')).toEqual([['2', 0], ['1', 1]]);
  });

  it('calls a partition without a live leader offline, and not also under min ISR', () => {
    const sut = clusterStateSamples(snapshot({ liveBrokers: [1], partitions: [partition('t', 0, -1, [2], [2]), partition('t', 1, 3, [3], [3])] }));
    expect(value(sut, 'kafka_offline_partitions')).toBe(2);
    expect(value(sut, 'kafka_under_min_isr_partitions')).toBe(0);
    expect(value(sut, 'kafka_partition_leader', { topic: 't', partition: '0' })).toBe(-1);
  });

  it('reports no controller as -1', () => {
    expect(value(clusterStateSamples(snapshot({ controller: null })), 'kafka_controller_id')).toBe(-1);
  });
});

describe('OffsetRates', () => {
  it('has no rate on first sight, then messages per second from the offset change', () => {
    const sut = new OffsetRates();
    expect(sut.update(new Map([['t', 100]]), 0).size).toBe(0);
    expect(sut.update(new Map([['t', 600]]), 10_000).get('t')).toBe(50);
  });

  it('restarts when offsets go backwards (topic re-created)', () => {
    const sut = new OffsetRates();
    sut.update(new Map([['t', 1000]]), 0);
    expect(sut.update(new Map([['t', 10]]), 1000).has('t')).toBe(false);
    expect(sut.update(new Map([['t', 20]]), 2000).get('t')).toBe(10);
  });
});
