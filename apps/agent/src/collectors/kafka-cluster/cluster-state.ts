import { kafkaClusterMetrics as k, MetricSample, sample } from '@doflamingo/contracts';

export interface PartitionState {
  topic: string;
  partition: number;
  /** -1 when the partition has no leader. */
  leader: number;
  replicas: number[];
  isr: number[];
  logStartOffset?: number;
  logEndOffset?: number;
}

export interface ClusterSnapshot {
  liveBrokers: number[];
  /** Live brokers plus every broker seen before or named as a replica: a dead broker stays "known". */
  knownBrokers: number[];
  controller: number | null;
  partitions: PartitionState[];
  /** min.insync.replicas per topic; topics missing here count as 1. */
  minInsyncReplicas: Map<string, number>;
  /** Messages per second per topic, when a previous collection allows computing it. */
  messagesInPerSecond: Map<string, number>;
}

/** Turns one metadata snapshot into samples: per cluster, broker, topic and partition. */
export function clusterStateSamples(snapshot: ClusterSnapshot): MetricSample[] {
  const samples: MetricSample[] = [];
  const live = new Set(snapshot.liveBrokers);
  const leaderCount = new Map<number, number>();
  const replicaCount = new Map<number, number>();
  const byTopic = new Map<string, { partitions: number; rf: number; urp: number; offline: number; underMinIsr: number }>();
  let urp = 0;
  let offline = 0;
  let underMinIsr = 0;
  let imbalance = 0;

  for (const p of snapshot.partitions) {
    const partition = String(p.partition);
    const isUnderReplicated = p.isr.length < p.replicas.length;
    const isOffline = p.leader < 0 || !live.has(p.leader);
    const isUnderMinIsr = !isOffline && p.isr.length < (snapshot.minInsyncReplicas.get(p.topic) ?? 1);
    if (isUnderReplicated) urp++;
    if (isOffline) offline++;
    if (isUnderMinIsr) underMinIsr++;
    if (!isOffline && p.replicas.length > 0 && p.leader !== p.replicas[0]) imbalance++;
    if (!isOffline) leaderCount.set(p.leader, (leaderCount.get(p.leader) ?? 0) + 1);
    for (const replica of p.replicas) replicaCount.set(replica, (replicaCount.get(replica) ?? 0) + 1);

    const topic = byTopic.get(p.topic) ?? { partitions: 0, rf: p.replicas.length, urp: 0, offline: 0, underMinIsr: 0 };
    topic.partitions++;
    topic.urp += Number(isUnderReplicated);
    topic.offline += Number(isOffline);
    topic.underMinIsr += Number(isUnderMinIsr);
    byTopic.set(p.topic, topic);

    const labels = { topic: p.topic, partition };
    samples.push(
      sample(k.partitionLeader, labels, isOffline ? -1 : p.leader),
      sample(k.partitionInSyncReplicas, labels, p.isr.length),
      sample(k.partitionUnderReplicated, labels, Number(isUnderReplicated)),
    );
    const inSync = new Set(p.isr);
    for (const replica of p.replicas) samples.push(sample(k.partitionReplicaInSync, { ...labels, broker: String(replica) }, Number(inSync.has(replica))));
    if (p.logEndOffset !== undefined) samples.push(sample(k.partitionLogEndOffset, labels, p.logEndOffset));
    if (p.logStartOffset !== undefined) samples.push(sample(k.partitionLogStartOffset, labels, p.logStartOffset));
  }

  for (const [topic, t] of byTopic) {
    const labels = { topic };
    samples.push(
      sample(k.topicPartitions, labels, t.partitions),
      sample(k.topicReplicationFactor, labels, t.rf),
      sample(k.topicMinInsyncReplicas, labels, snapshot.minInsyncReplicas.get(topic) ?? 1),
      sample(k.topicUnderReplicated, labels, t.urp),
      sample(k.topicOffline, labels, t.offline),
      sample(k.topicUnderMinIsr, labels, t.underMinIsr),
    );
    const rate = snapshot.messagesInPerSecond.get(topic);
    if (rate !== undefined) samples.push(sample(k.topicMessagesIn, labels, rate));
  }

  for (const broker of snapshot.knownBrokers) {
    const labels = { broker: String(broker) };
    samples.push(
      sample(k.brokerUp, labels, Number(live.has(broker))),
      sample(k.brokerLeaderPartitions, labels, leaderCount.get(broker) ?? 0),
      sample(k.brokerReplicaPartitions, labels, replicaCount.get(broker) ?? 0),
    );
  }

  samples.push(
    sample(k.collectionUp, {}, 1),
    sample(k.brokersUp, {}, snapshot.liveBrokers.length),
    sample(k.brokersKnown, {}, snapshot.knownBrokers.length),
    sample(k.controllerId, {}, snapshot.controller ?? -1),
    sample(k.topics, {}, byTopic.size),
    sample(k.partitions, {}, snapshot.partitions.length),
    sample(k.underReplicated, {}, urp),
    sample(k.offline, {}, offline),
    sample(k.underMinIsr, {}, underMinIsr),
    sample(k.preferredLeaderImbalance, {}, imbalance),
  );
  return samples;
}
