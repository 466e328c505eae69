import { AlertEvent, CONSUMER_GROUP_STATE, CONSUMER_STATUS, MetricSample } from '@doflamingo/contracts';
import { LatestValues, RecentAlerts } from '../live/latest-values.store';
import { brokers, ClusterView, clusterSummaries, consumerGroup, consumerGroups, topic, topics, zookeeper } from './cluster-state';

describe('cluster state read model', () => {
  const T = 1735689600000;
  const s = (metric: string, labels: Record<string, string>, value: number): MetricSample => ({ metric, labels, value });
  const batch = (cluster: string, samples: MetricSample[], timestamp = T) => ({ schemaVersion: 1 as const, cluster, source: { agentId: 'a', collector: 'test' }, timestamp, samples });

  const store = () => {
    const latest = new LatestValues();
    latest.apply(
      batch('prod', [
        s('kafka_cluster_reachable', {}, 1),
        s('kafka_brokers_up', {}, 2),
        s('kafka_brokers_known', {}, 3),
        s('kafka_controller_id', {}, 2),
        s('kafka_topics', {}, 2),
        s('kafka_partitions', {}, 4),
        s('kafka_offline_partitions', {}, 1),
        s('kafka_under_replicated_partitions', {}, 2),
        s('kafka_under_min_isr_partitions', {}, 0),
        ...['1', '2', '10'].map((b) => s('kafka_broker_up', { broker: b }, b === '10' ? 0 : 1)),
        s('kafka_broker_leader_partitions', { broker: '1' }, 2),
        s('kafka_broker_leader_partitions', { broker: '2' }, 1),
        s('kafka_broker_replica_partitions', { broker: '1' }, 4),
        s('kafka_topic_partitions', { topic: 'orders' }, 3),
        s('kafka_topic_partitions', { topic: 'audit' }, 1),
        s('kafka_topic_replication_factor', { topic: 'orders' }, 3),
        s('kafka_topic_under_replicated_partitions', { topic: 'orders' }, 2),
        s('kafka_topic_messages_in_per_second', { topic: 'orders' }, 12.5),
        s('kafka_partition_leader', { topic: 'orders', partition: '0' }, 1),
        s('kafka_partition_leader', { topic: 'orders', partition: '10' }, -1),
        s('kafka_partition_leader', { topic: 'orders', partition: '2' }, 2),
        s('kafka_partition_in_sync_replicas', { topic: 'orders', partition: '0' }, 3),
        ...['3', '1', '2'].map((broker) => s('kafka_partition_replica_in_sync', { topic: 'orders', partition: '2', broker }, broker === '3' ? 0 : 1)),
        s('kafka_partition_replica_in_sync', { topic: 'audit', partition: '2', broker: '9' }, 1),
        s('kafka_partition_under_replicated', { topic: 'orders', partition: '2' }, 1),
        s('kafka_partition_log_end_offset', { topic: 'orders', partition: '0' }, 500),
        s('kafka_partition_leader', { topic: 'audit', partition: '0' }, 2),
      ]),
    );
    latest.apply(
      batch('prod', [
        s('kafka_broker_jmx_up', { broker: '1' }, 1),
        s('kafka_broker_jmx_up', { broker: '2' }, 0),
        s('kafka_broker_bytes_in_per_second', { broker: '1' }, 1000),
        s('kafka_broker_bytes_out_per_second', { broker: '1' }, 2000),
        s('kafka_broker_leader_count', { broker: '1' }, 2),
        s('kafka_broker_request_time_p99_seconds', { broker: '1', request: 'Produce' }, 0.012),
        s('kafka_broker_request_time_p99_seconds', { broker: '1', request: 'FetchFollower' }, 0.5),
        s('kafka_broker_request_time_p99_seconds', { broker: '2', request: 'Produce' }, 0.02),
        s('kafka_broker_request_handler_idle_ratio', { broker: '1' }, 0.8),
        s('kafka_broker_topic_bytes_in_per_second', { broker: '1', topic: 'orders' }, 300),
        s('kafka_broker_topic_bytes_in_per_second', { broker: '2', topic: 'orders' }, 200),
        s('kafka_broker_topic_log_size_bytes', { broker: '2', topic: 'orders' }, 4096),
      ], T + 5000),
    );
    latest.apply(
      batch('prod', [
        s('kafka_consumer_group_status', { group: 'billing' }, 1),
        s('kafka_consumer_group_state', { group: 'billing' }, 3),
        s('kafka_consumer_group_members', { group: 'billing' }, 2),
        s('kafka_consumer_group_lag', { group: 'billing' }, 120),
        s('kafka_consumer_group_max_lag_seconds', { group: 'billing' }, 4.5),
        s('kafka_consumer_group_status', { group: 'audit' }, 2),
        s('kafka_consumer_group_status', { group: 'future' }, 99),
        s('kafka_consumer_group_partition_status', { group: 'billing', topic: 'orders', partition: '1' }, 4),
        s('kafka_consumer_group_partition_lag', { group: 'billing', topic: 'orders', partition: '1' }, 100),
        s('kafka_consumer_group_partition_lag', { group: 'billing', topic: 'orders', partition: '0' }, 20),
        s('kafka_consumer_group_partition_lag', { group: 'audit', topic: 'orders', partition: '0' }, 7),
      ]),
    );
    latest.apply(
      batch('prod', [
        s('zookeeper_quorum_up', {}, 1),
        s('zookeeper_servers_up', {}, 2),
        s('zookeeper_servers_configured', {}, 3),
        s('zookeeper_server_up', { server: 'zk1:2181' }, 1),
        s('zookeeper_server_up', { server: 'zk2:2181' }, 1),
        s('zookeeper_server_up', { server: 'zk3:2181' }, 0),
        s('zookeeper_server_state', { server: 'zk1:2181' }, 1),
        s('zookeeper_server_state', { server: 'zk2:2181' }, 2),
        s('zookeeper_server_is_leader', { server: 'zk1:2181' }, 0),
        s('zookeeper_server_is_leader', { server: 'zk2:2181' }, 1),
        s('zookeeper_znodes', { server: 'zk1:2181' }, 150),
        s('zookeeper_outstanding_requests', { server: 'zk2:2181' }, 3),
        s('zookeeper_kafka_controller_id', {}, -1),
      ]),
    );
    latest.apply(batch('kraft', [s('kafka_brokers_up', {}, 1), s('kafka_controller_id', {}, -1)], T + 9000));
    return latest;
  };
  const view = (cluster = 'prod') => ClusterView.of(store(), cluster)!;

  it('knows a cluster only when the store has samples of it', () => {
    expect(ClusterView.of(store(), 'prod')).toBeDefined();
    expect(ClusterView.of(store(), 'nope')).toBeUndefined();
  });

  it('summarises every cluster, with nulls for what was not reported and the firing alerts', () => {
    const alerts = new RecentAlerts();
    const alert = (id: string, cluster: string, state: AlertEvent['state']): AlertEvent => ({ schemaVersion: 1, id, rule: 'r', state, severity: 'warning', cluster, labels: {}, message: '', value: null, startsAt: T, at: T });
    alerts.apply(alert('a', 'prod', 'firing'));
    alerts.apply(alert('b', 'prod', 'firing'));
    alerts.apply(alert('c', 'prod', 'resolved'));
    alerts.apply(alert('d', 'kraft', 'pending'));
    const [kraft, prod] = clusterSummaries(store(), alerts);
    expect(prod).toEqual({
      name: 'prod',
      reachable: true,
      brokersUp: 2,
      brokersKnown: 3,
      controller: 2,
      topics: 2,
      partitions: 4,
      offlinePartitions: 1,
      underReplicatedPartitions: 2,
      underMinIsrPartitions: 0,
      zookeeper: { quorum: true, leader: 'zk2:2181', serversUp: 2, serversConfigured: 3 },
      firingAlerts: 2,
      lastSampleAt: T + 5000,
    });
    expect(kraft).toMatchObject({ name: 'kraft', brokersUp: 1, brokersKnown: null, controller: null, reachable: null, zookeeper: null, firingAlerts: 0, lastSampleAt: T + 9000 });
  });

  it('lists brokers in numeric order with metadata and JMX figures', () => {
    const list = brokers(view());
    expect(list.map((b) => b.id)).toEqual(['1', '2', '10']);
    expect(list[0]).toEqual({
      id: '1',
      up: true,
      jmxUp: true,
      controller: false,
      leaderPartitions: 2,
      replicaPartitions: 4,
      leaderCount: 2,
      partitionCount: null,
      underReplicatedPartitions: null,
      bytesInPerSecond: 1000,
      bytesOutPerSecond: 2000,
      messagesInPerSecond: null,
      requestTimeP99Seconds: { Produce: 0.012, FetchConsumer: null, FetchFollower: 0.5 },
      requestHandlerIdleRatio: 0.8,
      networkProcessorIdleRatio: null,
    });
    expect(list[1]).toMatchObject({ id: '2', up: true, jmxUp: false, controller: true, requestTimeP99Seconds: { Produce: 0.02 } });
    expect(list[2]).toMatchObject({ id: '10', up: false, jmxUp: null, controller: false, bytesInPerSecond: null });
  });

  it('lists topics with per-topic sums of the brokers\' rates', () => {
    expect(topics(view())).toEqual([
      { name: 'audit', partitions: 1, replicationFactor: null, minInsyncReplicas: null, underReplicatedPartitions: null, offlinePartitions: null, underMinIsrPartitions: null, messagesInPerSecond: null, bytesInPerSecond: null, bytesOutPerSecond: null },
      { name: 'orders', partitions: 3, replicationFactor: 3, minInsyncReplicas: null, underReplicatedPartitions: 2, offlinePartitions: null, underMinIsrPartitions: null, messagesInPerSecond: 12.5, bytesInPerSecond: 500, bytesOutPerSecond: null },
    ]);
  });

  it('details one topic: partitions in numeric order, offline when the leader is -1, replicas and ISR by broker id, per-broker traffic', () => {
    const detail = topic(view(), 'orders')!;
    expect(detail.partitionDetails).toEqual([
      { partition: 0, leader: 1, offline: false, inSyncReplicas: 3, underReplicated: null, replicas: null, isr: null, logStartOffset: null, logEndOffset: 500 },
      { partition: 2, leader: 2, offline: false, inSyncReplicas: null, underReplicated: true, replicas: [1, 2, 3], isr: [1, 2], logStartOffset: null, logEndOffset: null },
      { partition: 10, leader: -1, offline: true, inSyncReplicas: null, underReplicated: null, replicas: null, isr: null, logStartOffset: null, logEndOffset: null },
    ]);
    expect(detail.brokers).toEqual([
      { broker: '1', bytesInPerSecond: 300, bytesOutPerSecond: null, messagesInPerSecond: null, logSizeBytes: null },
      { broker: '2', bytesInPerSecond: 200, bytesOutPerSecond: null, messagesInPerSecond: null, logSizeBytes: 4096 },
    ]);
    expect(topic(view(), 'missing')).toBeUndefined();
  });

  it('names consumer group statuses and states from the contract codes', () => {
    const groups = consumerGroups(view());
    expect(groups.map((g) => [g.group, g.status])).toEqual([
      ['audit', CONSUMER_STATUS[2]],
      ['billing', CONSUMER_STATUS[1]],
      ['future', null],
    ]);
    expect(groups[1]).toEqual({ group: 'billing', status: 'WARN', state: CONSUMER_GROUP_STATE[3], members: 2, partitions: null, lag: 120, lagSeconds: 4.5, lagTrend: null });
    expect(consumerGroup(view(), 'billing')!.partitionDetails).toEqual([
      { topic: 'orders', partition: 0, status: null, committedOffset: null, lag: 20, lagSeconds: null },
      { topic: 'orders', partition: 1, status: 'STALL', committedOffset: null, lag: 100, lagSeconds: null },
    ]);
    expect(consumerGroup(view(), 'nobody')).toBeUndefined();
  });

  it('gives each ZooKeeper server its mode, down when it does not answer', () => {
    const ensemble = zookeeper(view())!;
    expect(ensemble).toMatchObject({ quorum: true, leader: 'zk2:2181', serversUp: 2, serversConfigured: 3, kafkaController: null });
    expect(ensemble.servers.map((s) => [s.server, s.up, s.mode])).toEqual([
      ['zk1:2181', true, 'follower'],
      ['zk2:2181', true, 'leader'],
      ['zk3:2181', false, 'down'],
    ]);
    expect(ensemble.servers[0]).toMatchObject({ znodes: 150, outstandingRequests: null });
    expect(ensemble.servers[1]).toMatchObject({ znodes: null, outstandingRequests: 3 });
    expect(zookeeper(view('kraft'))).toBeUndefined();
  });

  it('does not name a killed ZooKeeper leader (its last is_leader sample lingers in the store) but the one elected after it', () => {
    const latest = new LatestValues();
    const zkBatch = (samples: MetricSample[], at: number) => latest.apply(batch('prod', samples, at));
    zkBatch([s('zookeeper_quorum_up', {}, 1), s('zookeeper_server_up', { server: 'a:1' }, 1), s('zookeeper_server_is_leader', { server: 'a:1' }, 1), s('zookeeper_server_state', { server: 'a:1' }, 2)], T);
    // a:1 killed: the agent reports it down and says nothing more about its role; b:2 is elected.
    zkBatch([s('zookeeper_server_up', { server: 'a:1' }, 0), s('zookeeper_server_up', { server: 'b:2' }, 1), s('zookeeper_server_is_leader', { server: 'b:2' }, 1), s('zookeeper_server_state', { server: 'b:2' }, 2)], T + 4000);
    const prod = ClusterView.of(latest, 'prod')!;
    expect(zookeeper(prod)!.leader).toBe('b:2');
    expect(clusterSummaries(latest, new RecentAlerts())[0].zookeeper!.leader).toBe('b:2');
  });
});
