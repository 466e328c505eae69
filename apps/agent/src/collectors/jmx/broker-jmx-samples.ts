import { jmxMetrics as j, MetricDefinition, MetricSample, sample } from '@doflamingo/contracts';
import { BrokerCount, BrokerGauge, BrokerJmx, TopicCount } from './broker-jmx';

/** Running counts sent as per-second rates over the time between two collections. */
const RATES: Partial<Record<BrokerCount, MetricDefinition>> = {
  bytesIn: j.bytesIn,
  bytesOut: j.bytesOut,
  messagesIn: j.messagesIn,
  produceRequests: j.produceRequests,
  fetchRequests: j.fetchRequests,
  failedProduceRequests: j.failedProduceRequests,
  failedFetchRequests: j.failedFetchRequests,
  isrShrinks: j.isrShrinks,
  isrExpands: j.isrExpands,
  leaderElections: j.leaderElections,
};

/** Running counts sent as they are: rare events where the total itself is what matters. */
const COUNTERS: Partial<Record<BrokerCount, MetricDefinition>> = {
  uncleanLeaderElections: j.uncleanLeaderElections,
  zookeeperExpires: j.zookeeperExpires,
};

const TOPIC_RATES: Record<TopicCount, MetricDefinition> = {
  bytesIn: j.topicBytesIn,
  bytesOut: j.topicBytesOut,
  messagesIn: j.topicMessagesIn,
};

/** Gauges, with the factor that brings them to the catalogue's unit. */
const GAUGES: Record<BrokerGauge, [MetricDefinition, number]> = {
  underReplicatedPartitions: [j.underReplicated, 1],
  underMinIsrPartitions: [j.underMinIsr, 1],
  offlinePartitions: [j.offlinePartitions, 1],
  activeControllers: [j.activeController, 1],
  partitions: [j.partitions, 1],
  leaders: [j.leaders, 1],
  networkProcessorIdleRatio: [j.networkProcessorIdle, 1],
  requestQueueSize: [j.requestQueueSize, 1],
  replicaMaxLag: [j.replicaMaxLag, 1],
  offlineLogDirs: [j.offlineLogDirs, 1],
  heapUsedBytes: [j.heapUsed, 1],
  heapMaxBytes: [j.heapMax, 1],
  raftCurrentLeader: [j.raftCurrentLeader, 1],
  raftCurrentEpoch: [j.raftCurrentEpoch, 1],
  raftHighWatermark: [j.raftHighWatermark, 1],
  raftCommitLatencyAvgMs: [j.raftCommitLatency, 1 / 1000],
  raftUnknownVoterConnections: [j.raftUnknownVoterConnections, 1],
};

const NANOS_PER_MS = 1e6;

/**
 * Turns successive readings of one broker into samples. It keeps the previous running counts to
 * compute rates: the first reading has none, and a count that went down (the broker restarted)
 * gives no rate until the next reading.
 */
export class BrokerJmxSampler {
  private previous?: { at: number; totals: Map<string, number> };

  samples(broker: string, jmx: BrokerJmx, at: number): MetricSample[] {
    const samples: MetricSample[] = [];
    const totals = new Map<string, number>();
    const before = this.previous;
    /** Change per millisecond of a running count since the previous reading. */
    const perMs = (key: string, value: number): number | undefined => {
      totals.set(key, value);
      const old = before?.totals.get(key);
      if (before === undefined || old === undefined || value < old || at <= before.at) return undefined;
      return (value - old) / (at - before.at);
    };
    const b = { broker };

    for (const [count, value] of Object.entries(jmx.counts) as Array<[BrokerCount, number]>) {
      const change = perMs(count, value);
      const rate = RATES[count];
      const counter = COUNTERS[count];
      if (rate && change !== undefined) samples.push(sample(rate, b, change * 1000));
      if (counter) samples.push(sample(counter, b, value));
      // Idle nanoseconds per handler thread, per elapsed nanosecond: the idle share.
      if (count === 'requestHandlerIdleNanos' && change !== undefined) samples.push(sample(j.requestHandlerIdle, b, Math.min(1, change / NANOS_PER_MS)));
    }
    for (const [topic, counts] of jmx.topicCounts) {
      for (const [count, value] of Object.entries(counts) as Array<[TopicCount, number]>) {
        const change = perMs(`${count}\u0000${topic}`, value);
        if (change !== undefined) samples.push(sample(TOPIC_RATES[count], { broker, topic }, change * 1000));
      }
    }
    for (const [gauge, value] of Object.entries(jmx.gauges) as Array<[BrokerGauge, number]>) {
      const [definition, factor] = GAUGES[gauge];
      samples.push(sample(definition, b, value * factor));
    }
    for (const [topic, bytes] of jmx.topicLogSizeBytes) samples.push(sample(j.topicLogSize, { broker, topic }, bytes));
    for (const [request, times] of jmx.requestTimeMs) {
      if (times.p50 !== undefined) samples.push(sample(j.requestTimeP50, { broker, request }, times.p50 / 1000));
      if (times.p99 !== undefined) samples.push(sample(j.requestTimeP99, { broker, request }, times.p99 / 1000));
    }
    for (const [gc, values] of jmx.gc) {
      if (values.collections !== undefined) samples.push(sample(j.gcCollections, { broker, gc }, values.collections));
      if (values.timeSeconds !== undefined) samples.push(sample(j.gcTime, { broker, gc }, values.timeSeconds));
    }
    if (jmx.zookeeperSessionState !== undefined) samples.push(sample(j.zookeeperConnected, b, Number(jmx.zookeeperSessionState === 'CONNECTED')));

    this.previous = { at, totals };
    return samples;
  }
}
