import pino from 'pino';
import type { MonitoredCluster } from '@doflamingo/config';
import { MetricSample } from '@doflamingo/contracts';
import type { ClusterClients } from '../../collection/cluster-clients';
import { CollectorContext } from '../../collection/collector';
import { BrokerJmx, emptyBrokerJmx } from './broker-jmx';
import { brokerEndpoint, configuredBrokerId, JmxCollector, jmxCollector } from './jmx.collector';
import { JmxSource, JolokiaSource, PrometheusSource } from './jmx-sources';

function context(cluster: Partial<MonitoredCluster> = {}, callTimeoutMs = 5000, jmxIntervalMs = 10000): CollectorContext {
  return {
    cluster: { name: 'test', kafka: { brokers: ['h:9092'] } as MonitoredCluster['kafka'], jolokia: { urls: [] }, prometheusUrls: [], logDirs: [], ...cluster },
    clients: {} as ClusterClients,
    logger: pino({ level: 'silent' }),
    agentId: 'test-agent',
    callTimeoutMs,
    intervalMs: { 'kafka-cluster': 10000, 'consumer-groups': 10000, jmx: jmxIntervalMs, zookeeper: 10000, probe: 10000, 'log-dirs': 30000, agent: 10000 },
  };
}

/** A source answering from a script: a reading, an error, or never. */
function source(url: string, answer: () => Promise<BrokerJmx>): JmxSource {
  return { kind: 'jolokia', url, read: answer };
}

const reading = (brokerId?: string) => ({ ...emptyBrokerJmx(), brokerId, gauges: { partitions: 7 } });
const metricsOf = (samples: MetricSample[]) => samples.map((s) => s.metric).sort();

describe('jmxCollector (factory)', () => {
  it('applies only to clusters with Jolokia or exporter URLs', () => {
    expect(jmxCollector(context())).toBeUndefined();
    expect(jmxCollector(context({ prometheusUrls: ['http://h:7071/metrics'] }))).toBeInstanceOf(JmxCollector);
    expect(jmxCollector(context({ jolokia: { urls: ['http://h:8778/jolokia'] } }))).toBeInstanceOf(JmxCollector);
  });

  it('reads Jolokia only when both are configured, so that no series is sent twice', async () => {
    const sut = jmxCollector(context({ jolokia: { urls: ['http://127.0.0.1:1/jolokia'] }, prometheusUrls: ['http://127.0.0.1:2/metrics'] }))!;
    const batches = await sut.collect(new AbortController().signal);
    expect(batches).toHaveLength(1);
    expect(batches[0].samples.find((s) => s.metric === 'kafka_broker_jmx_up')?.value).toBe(0);
  });
});

describe('configuredBrokerId', () => {
  it('is the #broker=N fragment of the URL, or else the 1-based position', () => {
    expect(configuredBrokerId('http://kafka-7:7071/metrics#broker=1007', 0)).toBe('1007');
    expect(configuredBrokerId('http://kafka-7:7071/metrics', 2)).toBe('3');
  });
});

describe('JmxCollector', () => {
  it('labels a broker with the id its endpoint reports, whatever its position', async () => {
    const sut = new JmxCollector(context(), [brokerEndpoint(source('http://a/jolokia', async () => reading('42')), 0)]);
    const [batch] = await sut.collect(new AbortController().signal);
    expect(batch.scope).toBe('broker:42');
    expect(batch.samples.every((s) => s.labels.broker === '42')).toBe(true);
    expect(batch.samples.find((s) => s.metric === 'kafka_broker_partition_count')?.value).toBe(7);
  });

  it('reports a broker that fails as up 0 with a counted error and nothing else, and the others as usual', async () => {
    const sut = new JmxCollector(context(), [
      brokerEndpoint(source('http://a/jolokia', async () => reading()), 0),
      brokerEndpoint(source('http://b/jolokia', async () => Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }))), 1),
    ]);
    await sut.collect(new AbortController().signal);
    const [healthy, failed] = await sut.collect(new AbortController().signal);
    expect(healthy.samples.find((s) => s.metric === 'kafka_broker_jmx_up')?.value).toBe(1);
    expect(failed.scope).toBe('broker:2');
    expect(metricsOf(failed.samples)).toEqual(['kafka_broker_jmx_scrape_duration_seconds', 'kafka_broker_jmx_scrape_errors_total', 'kafka_broker_jmx_up']);
    expect(failed.samples.find((s) => s.metric === 'kafka_broker_jmx_up')?.value).toBe(0);
    expect(failed.samples.find((s) => s.metric === 'kafka_broker_jmx_scrape_errors_total')?.value).toBe(2);
  });

  it('gives up on an endpoint that never answers after the call timeout, without holding back the others', async () => {
    let aborted = false;
    const hanging = source('http://slow/jolokia', () => new Promise<BrokerJmx>(() => undefined));
    const listening: JmxSource = {
      kind: 'prometheus',
      url: 'http://listening/metrics',
      read: (signal) => new Promise<BrokerJmx>((_, reject) => signal.addEventListener('abort', () => ((aborted = true), reject(signal.reason)))),
    };
    const sut = new JmxCollector(context({}, 100, 100), [brokerEndpoint(hanging, 0), brokerEndpoint(listening, 1), brokerEndpoint(source('http://fast/jolokia', async () => reading()), 2)]);
    const startedAt = Date.now();
    const batches = await sut.collect(new AbortController().signal);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(batches.map((b) => b.samples.find((s) => s.metric === 'kafka_broker_jmx_up')?.value)).toEqual([0, 0, 1]);
    expect(aborted).toBe(true); // the HTTP request itself is cancelled, not just forgotten
  });

  it('gives an exporter scrape (which walks every MBean) up to 80% of the interval, Jolokia only the call timeout', async () => {
    const slow = (kind: JmxSource['kind']): JmxSource => ({ kind, url: `http://${kind}/`, read: () => new Promise((resolve) => setTimeout(() => resolve(reading()), 300)) });
    const sut = new JmxCollector(context({}, 100, 1000), [brokerEndpoint(slow('jolokia'), 0), brokerEndpoint(slow('prometheus'), 1)]);
    const batches = await sut.collect(new AbortController().signal);
    expect(batches.map((b) => b.samples.find((s) => s.metric === 'kafka_broker_jmx_up')?.value)).toEqual([0, 1]);
  });

  it('builds Jolokia and exporter sources from the configuration', () => {
    expect(new JolokiaSource('http://h:8778/jolokia').kind).toBe('jolokia');
    expect(new PrometheusSource('http://h:7071/metrics').kind).toBe('prometheus');
  });
});
