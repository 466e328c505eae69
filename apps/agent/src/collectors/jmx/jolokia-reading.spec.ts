import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerJmxFromJolokia, jolokiaBulkRequest } from './jolokia-reading';
import { JmxEndpointError } from './jmx-endpoint-error';

/** Bulk responses captured from the devstack (trimmed to two topics and two partitions each). */
const fixture = (name: string): unknown[] => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8'));
const zkController = () => fixture('jolokia-bulk-zk-controller.json'); // kafka1, Kafka 3.9, active controller
const kraftLeader = () => fixture('jolokia-bulk-kraft-leader.json'); // kraft1, Kafka 4.1, quorum leader

describe('jolokiaBulkRequest', () => {
  it('asks for everything in one bulk body, every read tolerant of missing attributes', () => {
    const sut = jolokiaBulkRequest();
    expect(sut.every((read) => read.type === 'read' && read.config.ignoreErrors)).toBe(true);
    expect(sut.map((read) => read.mbean)).toEqual(
      expect.arrayContaining([
        'kafka.server:type=app-info,id=*',
        'kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,*',
        'kafka.server:type=BrokerTopicMetrics,name=FailedFetchRequestsPerSec',
        'kafka.server:type=ReplicaFetcherManager,name=MaxLag,clientId=Replica',
        'kafka.network:type=RequestMetrics,name=TotalTimeMs,request=FetchFollower',
        'kafka.log:type=Log,name=Size,*',
        'kafka.server:type=raft-metrics',
      ]),
    );
  });

  it('matches the reads the fixtures answered, in order', () => {
    const answered = zkController().map((entry) => (entry as { request: { mbean: string } }).request.mbean);
    const canonical = (name: string) => `${name.slice(0, name.indexOf(':'))}:${name.slice(name.indexOf(':') + 1).split(',').sort().join(',')}`;
    expect(answered.map(canonical)).toEqual(jolokiaBulkRequest().map((read) => canonical(read.mbean)));
  });
});

describe('brokerJmxFromJolokia', () => {
  it('reads a ZooKeeper-mode controller: id, counts overall and per topic, gauges, times, log sizes, JVM, session', () => {
    const sut = brokerJmxFromJolokia(zkController());
    expect(sut.brokerId).toBe('1');
    expect(sut.counts).toEqual({
      bytesIn: 3088271,
      bytesOut: 1222595066,
      messagesIn: 26023,
      produceRequests: 23488,
      fetchRequests: 861698,
      failedProduceRequests: 0,
      failedFetchRequests: 0,
      isrShrinks: 0,
      isrExpands: 76,
      leaderElections: 3,
      uncleanLeaderElections: 0,
      requestHandlerIdleNanos: 399553288881,
      zookeeperExpires: 0,
    });
    expect(sut.topicCounts.get('demo.orders')).toEqual({ bytesIn: 236037, bytesOut: 236447, messagesIn: 2231 });
    expect(sut.gauges).toMatchObject({
      underReplicatedPartitions: 0,
      underMinIsrPartitions: 0,
      partitions: 51,
      leaders: 18,
      offlinePartitions: 0,
      activeControllers: 1,
      networkProcessorIdleRatio: 0.9848014559959859,
      requestQueueSize: 0,
      replicaMaxLag: 0,
      offlineLogDirs: 0,
      heapUsedBytes: 55284512,
      heapMaxBytes: 324403200,
    });
    expect(sut.requestTimeMs.get('Produce')).toEqual({ p50: 2, p99: 87.36000000000058 });
    expect(sut.requestTimeMs.get('FetchConsumer')).toEqual({ p50: 14, p99: 5000 });
    expect(sut.topicLogSizeBytes.get('demo.orders')).toBe(251784 + 215791); // partitions 0 and 1
    expect(sut.gc.get('Copy')).toEqual({ collections: 192, timeSeconds: 2.36 });
    expect(sut.zookeeperSessionState).toBe('CONNECTED');
  });

  it('leaves out what a ZooKeeper-mode broker does not have (raft-metrics answered 404)', () => {
    const sut = brokerJmxFromJolokia(zkController());
    expect(Object.keys(sut.gauges).filter((gauge) => gauge.startsWith('raft'))).toEqual([]);
  });

  it('reads a KRaft node: raft metrics, and no ZooKeeper session or ZooKeeper-controller elections', () => {
    const sut = brokerJmxFromJolokia(kraftLeader());
    expect(sut.brokerId).toBe('1');
    expect(sut.gauges).toMatchObject({
      raftCurrentLeader: 1,
      raftCurrentEpoch: 5,
      raftHighWatermark: 1239,
      raftCommitLatencyAvgMs: 7.601070950468541,
      raftUnknownVoterConnections: 0,
      activeControllers: 1,
    });
    expect(sut.zookeeperSessionState).toBeUndefined();
    expect(sut.counts.leaderElections).toBeUndefined();
    expect(sut.counts.zookeeperExpires).toBeUndefined();
    expect(sut.counts.bytesIn).toBeDefined();
  });

  it('skips a read that failed on the broker and keeps the others', () => {
    const body = zkController();
    const leaderCountAt = body.findIndex((entry) => JSON.stringify(entry).includes('name=LeaderCount'));
    body[leaderCountAt] = { request: {}, status: 500, error: 'java.lang.RuntimeException: boom' };
    const sut = brokerJmxFromJolokia(body);
    expect(sut.gauges.leaders).toBeUndefined();
    expect(sut.gauges.partitions).toBe(51);
  });

  it('rejects what is not the bulk answer asked for', () => {
    expect(() => brokerJmxFromJolokia({ status: 400, error: 'Invalid JSON request' })).toThrow(JmxEndpointError);
    expect(() => brokerJmxFromJolokia(zkController().slice(1))).toThrow(/expected a bulk response of \d+ entries, got \d+ entries/);
  });
});
