import { metricCatalogue, MetricSample, metricSampleSchema } from '@doflamingo/contracts';
import { BrokerJmx, emptyBrokerJmx, setGc, setRequestTime, setTopicCount } from './broker-jmx';
import { BrokerJmxSampler } from './broker-jmx-samples';

function reading(change: (jmx: BrokerJmx) => void): BrokerJmx {
  const jmx = emptyBrokerJmx();
  change(jmx);
  return jmx;
}

const value = (samples: MetricSample[], metric: string, labels: Record<string, string> = { broker: '1' }) =>
  samples.find((s) => s.metric === metric && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

describe('BrokerJmxSampler', () => {
  it('sends no rate on the first reading, then per-second rates from the change of the counts', () => {
    const sut = new BrokerJmxSampler();
    const first = sut.samples('1', reading((j) => ((j.counts.bytesIn = 1000), setTopicCount(j, 'orders', 'messagesIn', 10))), 0);
    expect(value(first, 'kafka_broker_bytes_in_per_second')).toBeUndefined();
    expect(value(first, 'kafka_broker_topic_messages_in_per_second', { broker: '1', topic: 'orders' })).toBeUndefined();

    const second = sut.samples('1', reading((j) => ((j.counts.bytesIn = 6000), setTopicCount(j, 'orders', 'messagesIn', 30))), 10_000);
    expect(value(second, 'kafka_broker_bytes_in_per_second')).toBe(500);
    expect(value(second, 'kafka_broker_topic_messages_in_per_second', { broker: '1', topic: 'orders' })).toBe(2);
  });

  it('skips a rate when a count went down (broker restarted) and resumes after', () => {
    const sut = new BrokerJmxSampler();
    sut.samples('1', reading((j) => (j.counts.messagesIn = 5000)), 0);
    expect(value(sut.samples('1', reading((j) => (j.counts.messagesIn = 20)), 1000), 'kafka_broker_messages_in_per_second')).toBeUndefined();
    expect(value(sut.samples('1', reading((j) => (j.counts.messagesIn = 120)), 2000), 'kafka_broker_messages_in_per_second')).toBe(100);
  });

  it('turns the running count of idle nanoseconds into the idle share, at most 1', () => {
    const sut = new BrokerJmxSampler();
    sut.samples('1', reading((j) => (j.counts.requestHandlerIdleNanos = 0)), 0);
    expect(value(sut.samples('1', reading((j) => (j.counts.requestHandlerIdleNanos = 7.5e9)), 10_000), 'kafka_broker_request_handler_idle_ratio')).toBe(0.75);
    expect(value(sut.samples('1', reading((j) => (j.counts.requestHandlerIdleNanos = 7.5e9 + 1.01e10)), 20_000), 'kafka_broker_request_handler_idle_ratio')).toBe(1);
  });

  it('sends rare-event totals as counters from the first reading on', () => {
    const sut = new BrokerJmxSampler().samples('3', reading((j) => ((j.counts.uncleanLeaderElections = 2), (j.counts.zookeeperExpires = 1))), 0);
    expect(value(sut, 'kafka_controller_unclean_leader_elections_total', { broker: '3' })).toBe(2);
    expect(value(sut, 'kafka_broker_zookeeper_session_expires_total', { broker: '3' })).toBe(1);
  });

  it('brings times to seconds and maps the ZooKeeper session state to connected or not', () => {
    const jmx = reading((j) => {
      setRequestTime(j, 'Produce', 'p50', 2);
      setRequestTime(j, 'Produce', 'p99', 87.5);
      j.gauges.raftCommitLatencyAvgMs = 7.5;
      setGc(j, 'G1 Young Generation', { collections: 12, timeSeconds: 0.25 });
      j.topicLogSizeBytes.set('orders', 4096);
      j.zookeeperSessionState = 'CONNECTING';
    });
    const sut = new BrokerJmxSampler().samples('1', jmx, 0);
    expect(value(sut, 'kafka_broker_request_time_p50_seconds', { broker: '1', request: 'Produce' })).toBe(0.002);
    expect(value(sut, 'kafka_broker_request_time_p99_seconds', { broker: '1', request: 'Produce' })).toBe(0.0875);
    expect(value(sut, 'kafka_raft_commit_latency_avg_seconds')).toBe(0.0075);
    expect(value(sut, 'kafka_broker_jvm_gc_time_seconds_total', { broker: '1', gc: 'G1 Young Generation' })).toBe(0.25);
    expect(value(sut, 'kafka_broker_topic_log_size_bytes', { broker: '1', topic: 'orders' })).toBe(4096);
    expect(value(sut, 'kafka_broker_zookeeper_connected')).toBe(0);
  });

  it('builds only catalogued samples that the metric event contract accepts', () => {
    const full = reading((j) => {
      for (const count of ['bytesIn', 'bytesOut', 'messagesIn', 'produceRequests', 'fetchRequests', 'failedProduceRequests', 'failedFetchRequests', 'isrShrinks', 'isrExpands', 'leaderElections', 'uncleanLeaderElections', 'requestHandlerIdleNanos', 'zookeeperExpires'] as const) j.counts[count] = 1;
      for (const gauge of ['underReplicatedPartitions', 'underMinIsrPartitions', 'offlinePartitions', 'activeControllers', 'partitions', 'leaders', 'networkProcessorIdleRatio', 'requestQueueSize', 'replicaMaxLag', 'offlineLogDirs', 'heapUsedBytes', 'heapMaxBytes', 'raftCurrentLeader', 'raftCurrentEpoch', 'raftHighWatermark', 'raftCommitLatencyAvgMs', 'raftUnknownVoterConnections'] as const) j.gauges[gauge] = 1;
      setTopicCount(j, 't', 'bytesIn', 1);
      j.zookeeperSessionState = 'CONNECTED';
    });
    const sut = new BrokerJmxSampler();
    sut.samples('1', full, 0);
    const samples = sut.samples('1', full, 1000);
    const catalogue = metricCatalogue();
    for (const s of samples) {
      expect(metricSampleSchema.safeParse(s).success).toBe(true);
      expect(Object.keys(s.labels).sort()).toEqual([...(catalogue.get(s.metric)?.labels ?? ['not catalogued'])].sort());
    }
  });
});
