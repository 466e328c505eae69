import { CONSUMER_GROUP_STATE, CONSUMER_STATUS, consumerGroupMetrics as cg, jmxMetrics as jmx, kafkaClusterMetrics as kc, LiveSample, zookeeperMetrics as zk } from '@doflamingo/contracts';
import { LatestValues, RecentAlerts } from '../live/latest-values.store';
import {
  BrokerDto,
  ClusterSummaryDto,
  ConsumerGroupDetailDto,
  ConsumerGroupDto,
  ConsumerGroupPartitionDto,
  PartitionDto,
  TopicBrokerDto,
  TopicDetailDto,
  TopicDto,
  ZooKeeperDto,
  ZooKeeperMode,
  ZooKeeperServerDto,
  ZooKeeperSummaryDto,
} from './cluster-state.dto';

/**
 * The state endpoints' read model: the latest value of every live series, as the agent reported
 * it, arranged per cluster, broker, topic, group and ZooKeeper server. Metric and label names come
 * from the catalogue objects, so a renamed metric breaks the build rather than an answer.
 */

/** The latest samples of one cluster by metric, gathered in one pass over the store. */
export class ClusterView {
  private constructor(
    readonly cluster: string,
    private readonly byMetric: Map<string, LiveSample[]>,
    readonly lastSampleAt: number,
  ) {}

  /** Undefined when the store holds nothing of this cluster. */
  static of(store: LatestValues, cluster: string): ClusterView | undefined {
    return ClusterView.all(store, cluster).get(cluster);
  }

  /** Every cluster (or only `only`), one pass. */
  static all(store: LatestValues, only?: string): Map<string, ClusterView> {
    const grouped = new Map<string, { metrics: Map<string, LiveSample[]>; last: number }>();
    for (const sample of store.all()) {
      if (only !== undefined && sample.cluster !== only) continue;
      let entry = grouped.get(sample.cluster);
      if (!entry) grouped.set(sample.cluster, (entry = { metrics: new Map(), last: 0 }));
      const list = entry.metrics.get(sample.metric);
      if (list) list.push(sample);
      else entry.metrics.set(sample.metric, [sample]);
      if (sample.ts > entry.last) entry.last = sample.ts;
    }
    return new Map([...grouped].map(([cluster, { metrics, last }]) => [cluster, new ClusterView(cluster, metrics, last)]));
  }

  samples(metric: { name: string }): LiveSample[] {
    return this.byMetric.get(metric.name) ?? [];
  }

  has(metric: { name: string }): boolean {
    return this.byMetric.has(metric.name);
  }

  /** A metric without labels. */
  value(metric: { name: string }): number | null {
    return this.samples(metric)[0]?.value ?? null;
  }

  /** Values of a metric keyed by one label (others must match `where`). */
  byLabel(metric: { name: string }, label: string, where: Record<string, string> = {}): Map<string, number> {
    const values = new Map<string, number>();
    for (const s of this.samples(metric)) {
      const key = s.labels[label];
      if (key !== undefined && Object.entries(where).every(([k, v]) => s.labels[k] === v)) values.set(key, s.value);
    }
    return values;
  }
}

const flag = (value: number | null | undefined): boolean | null => (value === null || value === undefined ? null : value >= 0.5);
const orNull = (value: number | undefined): number | null => value ?? null;
/** Broker ids and partitions are numbers in strings: order 2 before 10. */
const byNumberThenText = (a: string, b: string) => {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
};
const controllerOf = (view: ClusterView): number | null => {
  const id = view.value(kc.controllerId);
  return id === null || id < 0 ? null : id;
};

export function clusterSummaries(store: LatestValues, alerts: RecentAlerts): ClusterSummaryDto[] {
  const firing = new Map<string, number>();
  for (const alert of alerts.list({ state: 'firing' })) firing.set(alert.cluster, (firing.get(alert.cluster) ?? 0) + 1);
  return [...ClusterView.all(store).values()]
    .sort((a, b) => byNumberThenText(a.cluster, b.cluster))
    .map((view) => ({
      name: view.cluster,
      reachable: flag(view.value(kc.collectionUp)),
      brokersUp: view.value(kc.brokersUp),
      brokersKnown: view.value(kc.brokersKnown),
      controller: controllerOf(view),
      topics: view.value(kc.topics),
      partitions: view.value(kc.partitions),
      offlinePartitions: view.value(kc.offline),
      underReplicatedPartitions: view.value(kc.underReplicated),
      underMinIsrPartitions: view.value(kc.underMinIsr),
      zookeeper: zookeeperSummary(view),
      firingAlerts: firing.get(view.cluster) ?? 0,
      lastSampleAt: view.lastSampleAt,
    }));
}

export function brokers(view: ClusterView): BrokerDto[] {
  const perBroker = (metric: { name: string }) => view.byLabel(metric, 'broker');
  const up = perBroker(kc.brokerUp);
  const jmxUp = perBroker(jmx.up);
  const leaderPartitions = perBroker(kc.brokerLeaderPartitions);
  const replicaPartitions = perBroker(kc.brokerReplicaPartitions);
  const leaderCount = perBroker(jmx.leaders);
  const partitionCount = perBroker(jmx.partitions);
  const underReplicated = perBroker(jmx.underReplicated);
  const bytesIn = perBroker(jmx.bytesIn);
  const bytesOut = perBroker(jmx.bytesOut);
  const messagesIn = perBroker(jmx.messagesIn);
  const handlerIdle = perBroker(jmx.requestHandlerIdle);
  const networkIdle = perBroker(jmx.networkProcessorIdle);
  const activeController = perBroker(jmx.activeController);
  const p99 = (request: string) => view.byLabel(jmx.requestTimeP99, 'broker', { request });
  const [produceP99, fetchConsumerP99, fetchFollowerP99] = [p99('Produce'), p99('FetchConsumer'), p99('FetchFollower')];
  const controller = controllerOf(view);
  const ids = new Set([...up.keys(), ...jmxUp.keys(), ...leaderPartitions.keys(), ...replicaPartitions.keys()]);
  return [...ids].sort(byNumberThenText).map((id) => ({
    id,
    up: flag(up.get(id)),
    jmxUp: flag(jmxUp.get(id)),
    controller: controller !== null ? String(controller) === id : activeController.get(id) === 1,
    leaderPartitions: orNull(leaderPartitions.get(id)),
    replicaPartitions: orNull(replicaPartitions.get(id)),
    leaderCount: orNull(leaderCount.get(id)),
    partitionCount: orNull(partitionCount.get(id)),
    underReplicatedPartitions: orNull(underReplicated.get(id)),
    bytesInPerSecond: orNull(bytesIn.get(id)),
    bytesOutPerSecond: orNull(bytesOut.get(id)),
    messagesInPerSecond: orNull(messagesIn.get(id)),
    requestTimeP99Seconds: {
      Produce: orNull(produceP99.get(id)),
      FetchConsumer: orNull(fetchConsumerP99.get(id)),
      FetchFollower: orNull(fetchFollowerP99.get(id)),
    },
    requestHandlerIdleRatio: orNull(handlerIdle.get(id)),
    networkProcessorIdleRatio: orNull(networkIdle.get(id)),
  }));
}

/** Sum over brokers of a per-broker-and-topic rate, per topic; absent when no broker reported it. */
function perTopicSum(view: ClusterView, metric: { name: string }): Map<string, number> {
  const sums = new Map<string, number>();
  for (const s of view.samples(metric)) {
    const topic = s.labels.topic;
    if (topic !== undefined) sums.set(topic, (sums.get(topic) ?? 0) + s.value);
  }
  return sums;
}

export function topics(view: ClusterView): TopicDto[] {
  const perTopic = (metric: { name: string }) => view.byLabel(metric, 'topic');
  const partitions = perTopic(kc.topicPartitions);
  const replication = perTopic(kc.topicReplicationFactor);
  const minIsr = perTopic(kc.topicMinInsyncReplicas);
  const underReplicated = perTopic(kc.topicUnderReplicated);
  const offline = perTopic(kc.topicOffline);
  const underMinIsr = perTopic(kc.topicUnderMinIsr);
  const messagesIn = perTopic(kc.topicMessagesIn);
  const bytesIn = perTopicSum(view, jmx.topicBytesIn);
  const bytesOut = perTopicSum(view, jmx.topicBytesOut);
  const names = new Set([...partitions.keys(), ...underReplicated.keys(), ...messagesIn.keys(), ...bytesIn.keys()]);
  return [...names].sort(byNumberThenText).map((name) => ({
    name,
    partitions: orNull(partitions.get(name)),
    replicationFactor: orNull(replication.get(name)),
    minInsyncReplicas: orNull(minIsr.get(name)),
    underReplicatedPartitions: orNull(underReplicated.get(name)),
    offlinePartitions: orNull(offline.get(name)),
    underMinIsrPartitions: orNull(underMinIsr.get(name)),
    messagesInPerSecond: orNull(messagesIn.get(name)),
    bytesInPerSecond: orNull(bytesIn.get(name)),
    bytesOutPerSecond: orNull(bytesOut.get(name)),
  }));
}

/** Assigned and in-sync broker ids per partition of a topic, from one kafka_partition_replica_in_sync series per replica. */
function replicasByPartition(view: ClusterView, topicName: string): Map<string, { replicas: number[]; isr: number[] }> {
  const sets = new Map<string, { replicas: number[]; isr: number[] }>();
  for (const s of view.samples(kc.partitionReplicaInSync)) {
    const { topic: t, partition, broker } = s.labels;
    if (t !== topicName || partition === undefined || broker === undefined) continue;
    let set = sets.get(partition);
    if (!set) sets.set(partition, (set = { replicas: [], isr: [] }));
    set.replicas.push(Number(broker));
    if (s.value >= 0.5) set.isr.push(Number(broker));
  }
  for (const set of sets.values()) {
    set.replicas.sort((a, b) => a - b);
    set.isr.sort((a, b) => a - b);
  }
  return sets;
}

/** One topic with its partitions; undefined when no metric mentions it. */
export function topic(view: ClusterView, name: string): TopicDetailDto | undefined {
  const summary = topics(view).find((t) => t.name === name);
  const where = { topic: name };
  const perPartition = (metric: { name: string }) => view.byLabel(metric, 'partition', where);
  const leader = perPartition(kc.partitionLeader);
  const isr = perPartition(kc.partitionInSyncReplicas);
  const underReplicated = perPartition(kc.partitionUnderReplicated);
  const start = perPartition(kc.partitionLogStartOffset);
  const end = perPartition(kc.partitionLogEndOffset);
  const replicaSets = replicasByPartition(view, name);
  const numbers = new Set([...leader.keys(), ...isr.keys(), ...underReplicated.keys(), ...end.keys(), ...replicaSets.keys()]);
  if (!summary && numbers.size === 0) return undefined;
  const partitionDetails: PartitionDto[] = [...numbers].sort(byNumberThenText).map((p) => {
    const leaderId = leader.get(p);
    return {
      partition: Number(p),
      leader: orNull(leaderId),
      offline: leaderId === undefined ? null : leaderId < 0,
      inSyncReplicas: orNull(isr.get(p)),
      underReplicated: flag(underReplicated.get(p)),
      replicas: replicaSets.get(p)?.replicas ?? null,
      isr: replicaSets.get(p)?.isr ?? null,
      logStartOffset: orNull(start.get(p)),
      logEndOffset: orNull(end.get(p)),
    };
  });
  const perBroker = (metric: { name: string }) => view.byLabel(metric, 'broker', where);
  const bytesIn = perBroker(jmx.topicBytesIn);
  const bytesOut = perBroker(jmx.topicBytesOut);
  const messagesIn = perBroker(jmx.topicMessagesIn);
  const logSize = perBroker(jmx.topicLogSize);
  const brokerIds = new Set([...bytesIn.keys(), ...bytesOut.keys(), ...messagesIn.keys(), ...logSize.keys()]);
  const brokerRows: TopicBrokerDto[] = [...brokerIds].sort(byNumberThenText).map((broker) => ({
    broker,
    bytesInPerSecond: orNull(bytesIn.get(broker)),
    bytesOutPerSecond: orNull(bytesOut.get(broker)),
    messagesInPerSecond: orNull(messagesIn.get(broker)),
    logSizeBytes: orNull(logSize.get(broker)),
  }));
  const base: TopicDto = summary ?? {
    name,
    partitions: null,
    replicationFactor: null,
    minInsyncReplicas: null,
    underReplicatedPartitions: null,
    offlinePartitions: null,
    underMinIsrPartitions: null,
    messagesInPerSecond: null,
    bytesInPerSecond: null,
    bytesOutPerSecond: null,
  };
  return { ...base, partitionDetails, brokers: brokerRows };
}

/** A status or state code as its name; a code this gateway does not know yet as null. */
const named = (names: readonly string[], code: number | undefined): string | null => (code === undefined ? null : (names[code] ?? null));

export function consumerGroups(view: ClusterView): ConsumerGroupDto[] {
  const perGroup = (metric: { name: string }) => view.byLabel(metric, 'group');
  const status = perGroup(cg.groupStatus);
  const state = perGroup(cg.groupState);
  const members = perGroup(cg.groupMembers);
  const partitions = perGroup(cg.groupPartitions);
  const lag = perGroup(cg.groupLag);
  const lagSeconds = perGroup(cg.groupMaxLagSeconds);
  const trend = perGroup(cg.groupLagTrend);
  const names = new Set([...status.keys(), ...state.keys(), ...lag.keys(), ...members.keys()]);
  return [...names].sort(byNumberThenText).map((group) => ({
    group,
    status: named(CONSUMER_STATUS, status.get(group)),
    state: named(CONSUMER_GROUP_STATE, state.get(group)),
    members: orNull(members.get(group)),
    partitions: orNull(partitions.get(group)),
    lag: orNull(lag.get(group)),
    lagSeconds: orNull(lagSeconds.get(group)),
    lagTrend: orNull(trend.get(group)),
  }));
}

export function consumerGroup(view: ClusterView, group: string): ConsumerGroupDetailDto | undefined {
  const summary = consumerGroups(view).find((g) => g.group === group);
  if (!summary) return undefined;
  const rows = new Map<string, ConsumerGroupPartitionDto>();
  const fill = (metric: { name: string }, set: (row: ConsumerGroupPartitionDto, value: number) => void) => {
    for (const s of view.samples(metric)) {
      if (s.labels.group !== group) continue;
      const key = JSON.stringify([s.labels.topic, s.labels.partition]);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { topic: s.labels.topic, partition: Number(s.labels.partition), status: null, committedOffset: null, lag: null, lagSeconds: null }));
      set(row, s.value);
    }
  };
  fill(cg.partitionStatus, (row, v) => (row.status = named(CONSUMER_STATUS, v)));
  fill(cg.partitionCommittedOffset, (row, v) => (row.committedOffset = v));
  fill(cg.partitionLag, (row, v) => (row.lag = v));
  fill(cg.partitionLagSeconds, (row, v) => (row.lagSeconds = v));
  const partitionDetails = [...rows.values()].sort((a, b) => byNumberThenText(a.topic, b.topic) || a.partition - b.partition);
  return { ...summary, partitionDetails };
}

/** zookeeper_server_state codes, as the catalogue documents them. */
const ZOOKEEPER_STATE_MODES: Record<number, ZooKeeperMode> = { 0: 'not-serving', 1: 'follower', 2: 'leader', 3: 'observer', 4: 'standalone', 5: 'read-only' };

/**
 * The server leading now. A killed server's last role samples stay in the store (the agent then
 * only reports it down), so servers reported down are skipped and the newest claim wins.
 */
function zookeeperLeader(view: ClusterView): string | null {
  const down = new Set([...view.byLabel(zk.serverUp, 'server')].filter(([, v]) => v === 0).map(([server]) => server));
  const newestClaim = (metric: { name: string }, value: number) =>
    view
      .samples(metric)
      .filter((s) => s.value === value && s.labels.server !== undefined && !down.has(s.labels.server))
      .reduce<{ server: string; ts: number } | null>((best, s) => (best === null || s.ts > best.ts ? { server: s.labels.server, ts: s.ts } : best), null)?.server ?? null;
  return newestClaim(zk.serverIsLeader, 1) ?? newestClaim(zk.serverState, 2);
}

const ZOOKEEPER_METRICS = [zk.quorum, zk.serversConfigured, zk.serversUp, zk.serverUp, zk.serverState];

function zookeeperSummary(view: ClusterView): ZooKeeperSummaryDto | null {
  if (!ZOOKEEPER_METRICS.some((m) => view.has(m))) return null;
  return { quorum: flag(view.value(zk.quorum)), leader: zookeeperLeader(view), serversUp: view.value(zk.serversUp), serversConfigured: view.value(zk.serversConfigured) };
}

/** The ensemble and its servers; undefined when the cluster has no ZooKeeper metrics (KRaft, or not monitored). */
export function zookeeper(view: ClusterView): ZooKeeperDto | undefined {
  const summary = zookeeperSummary(view);
  if (!summary) return undefined;
  const perServer = (metric: { name: string }) => view.byLabel(metric, 'server');
  const up = perServer(zk.serverUp);
  const state = perServer(zk.serverState);
  const latencyAvg = perServer(zk.latencyAvg);
  const latencyMax = perServer(zk.latencyMax);
  const outstanding = perServer(zk.outstandingRequests);
  const connections = perServer(zk.aliveConnections);
  const znodes = perServer(zk.znodes);
  const watches = perServer(zk.watches);
  const epoch = perServer(zk.zxidEpoch);
  const names = new Set([...up.keys(), ...state.keys()]);
  const servers: ZooKeeperServerDto[] = [...names].sort(byNumberThenText).map((server) => {
    const isUp = flag(up.get(server));
    const code = state.get(server);
    const mode: ZooKeeperMode = isUp === false ? 'down' : code === undefined ? 'unknown' : (ZOOKEEPER_STATE_MODES[code] ?? 'unknown');
    return {
      server,
      up: isUp,
      mode,
      latencyAvgSeconds: orNull(latencyAvg.get(server)),
      latencyMaxSeconds: orNull(latencyMax.get(server)),
      outstandingRequests: orNull(outstanding.get(server)),
      connections: orNull(connections.get(server)),
      znodes: orNull(znodes.get(server)),
      watches: orNull(watches.get(server)),
      zxidEpoch: orNull(epoch.get(server)),
    };
  });
  const controller = view.value(zk.kafkaControllerId);
  return {
    ...summary,
    serversServing: view.value(zk.serversServing),
    leaderChanges: view.value(zk.leaderChanges),
    probeSuccess: flag(view.value(zk.probeSuccess)),
    probeLatencySeconds: view.value(zk.probeLatency),
    kafkaController: controller === null || controller < 0 ? null : controller,
    kafkaBrokersRegistered: view.value(zk.kafkaBrokersRegistered),
    servers,
  };
}
