import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerJmxSampler } from './broker-jmx-samples';
import { brokerJmxFromJolokia } from './jolokia-reading';
import { brokerJmxFromPrometheus } from './prometheus-mapping';
import { parsePrometheusText } from './prometheus-text';

/**
 * kafka1 of the devstack read through both of its agents within the same second: the JMX exporter
 * 1.0.1 with the Kafka example rules (devstack/jmx-exporter-kafka.yml) and Jolokia.
 */
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const exporterSamples = () => parsePrometheusText(fixture('exporter-zk-controller.txt')).samples;

describe('brokerJmxFromPrometheus', () => {
  it("maps the exporter's Kafka example names: meters, gauges, percentiles, log sizes and the JVM", () => {
    const sut = brokerJmxFromPrometheus(exporterSamples());
    expect(sut.brokerId).toBeUndefined(); // the example rules do not export app-info
    expect(sut.counts).toEqual({
      bytesIn: 3092298,
      bytesOut: 1228054435,
      messagesIn: 26071,
      produceRequests: 23514,
      fetchRequests: 862002,
      failedProduceRequests: 0,
      failedFetchRequests: 0,
      isrShrinks: 0,
      isrExpands: 76,
      leaderElections: 3,
      uncleanLeaderElections: 0,
      requestHandlerIdleNanos: 399963374198,
      zookeeperExpires: 0,
    });
    expect(sut.topicCounts.get('demo.payments')).toEqual({ bytesIn: 191856, bytesOut: 217392, messagesIn: 1798 });
    expect([...sut.topicCounts.keys()].sort()).toEqual(['demo.orders', 'demo.payments']);
    expect(sut.gauges).toEqual({
      underReplicatedPartitions: 0,
      underMinIsrPartitions: 0,
      partitions: 51,
      leaders: 18,
      offlinePartitions: 0,
      activeControllers: 1,
      networkProcessorIdleRatio: 0.9847202962471611,
      requestQueueSize: 0,
      replicaMaxLag: 0,
      offlineLogDirs: 0,
      heapUsedBytes: 57475832,
      heapMaxBytes: 324403200,
    });
    expect(sut.requestTimeMs.get('FetchFollower')).toEqual({ p50: 3, p99: 244.42000000000007 });
    expect(sut.requestTimeMs.has('Metadata' as never)).toBe(false);
    expect(sut.topicLogSizeBytes.get('demo.orders')).toBe(251784 + 215791);
    expect(sut.gc.get('MarkSweepCompact')).toEqual({ collections: 7, timeSeconds: 0.514 });
  });

  it('accepts the names of 0.x exporters too (histogram counts without _total, jvm_memory_bytes_*)', () => {
    const sut = brokerJmxFromPrometheus(
      parsePrometheusText(
        [
          'kafka_controller_controllerstats_leaderelectionrateandtimems_count 4.0',
          'kafka_server_kafkarequesthandlerpool_requesthandleravgidlepercent_count 1.5E9',
          'jvm_memory_bytes_used{area="heap"} 1000.0',
          'jvm_memory_bytes_max{area="heap"} -1.0',
        ].join('\n'),
      ).samples,
    );
    expect(sut.counts).toEqual({ leaderElections: 4, requestHandlerIdleNanos: 1.5e9 });
    expect(sut.gauges).toEqual({ heapUsedBytes: 1000 }); // -1: no maximum
  });

  it('skips non-finite values and series of other MBeans with the same name prefix', () => {
    const sut = brokerJmxFromPrometheus(
      parsePrometheusText(
        [
          'kafka_server_replicamanager_partitioncount NaN',
          'kafka_server_replicafetchermanager_maxlag{clientId="ReplicaAlterLogDirs"} 99.0',
          'kafka_server_brokertopicmetrics_totalfetchrequests_total{topic="demo.orders"} 5.0',
        ].join('\n'),
      ).samples,
    );
    expect(sut.gauges).toEqual({});
    expect(sut.topicCounts.size).toBe(0);
  });
});

describe('both sources', () => {
  const seriesOf = (samples: Array<{ metric: string; labels: Record<string, string> }>) =>
    samples.map((s) => `${s.metric}${JSON.stringify(Object.entries(s.labels).sort())}`).sort();

  it('give the same series for one broker, and the same values where nothing moved in between', () => {
    const jolokia = brokerJmxFromJolokia(JSON.parse(fixture('jolokia-bulk-zk-controller.json')));
    const exporter = brokerJmxFromPrometheus(exporterSamples());
    // Two readings each, so that the rates are there too.
    const twice = (jmx: typeof jolokia) => {
      const sampler = new BrokerJmxSampler();
      sampler.samples('1', jmx, 0);
      return sampler.samples('1', jmx, 10_000);
    };
    const fromJolokia = twice(jolokia);
    const fromExporter = twice(exporter);

    // The ZooKeeper session state is text, which the exporter does not export.
    const jolokiaOnly = ['kafka_broker_zookeeper_connected'];
    expect(seriesOf(fromExporter)).toEqual(seriesOf(fromJolokia.filter((s) => !jolokiaOnly.includes(s.metric))));
    const value = (samples: typeof fromJolokia, metric: string) => samples.find((s) => s.metric === metric)?.value;
    expect(fromExporter.length).toBeGreaterThan(40);
    for (const metric of ['kafka_broker_partition_count', 'kafka_broker_leader_count', 'kafka_controller_active_count', 'kafka_broker_jvm_heap_max_bytes']) {
      expect([metric, value(fromExporter, metric)]).toEqual([metric, value(fromJolokia, metric)]);
    }
  });
});
