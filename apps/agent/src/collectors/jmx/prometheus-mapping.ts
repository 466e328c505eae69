import { addTopicLogSize, BrokerCount, BrokerGauge, BrokerJmx, emptyBrokerJmx, isTimedRequest, setGc, setRequestTime, setTopicCount, TopicCount } from './broker-jmx';
import { COUNT_MBEANS, exporterNames, LOG_SIZE_MBEAN, REQUEST_TIME_MBEAN, TOPIC_COUNTS, VALUE_MBEANS } from './kafka-mbeans';
import type { ExpositionSample } from './prometheus-text';

type Store = (jmx: BrokerJmx, labels: Record<string, string>, value: number) => void;

const QUANTILES: Record<string, 'p50' | 'p99'> = { '0.50': 'p50', '0.5': 'p50', '0.99': 'p99' };

/**
 * Series of the JMX exporter (Kafka example rules, plus the exporter's own JVM metrics) that the
 * collector understands, by name. Raft metrics and the ZooKeeper session state have no series under
 * those rules (the first has no `name` key, the second is text), so they come from Jolokia only.
 */
function buildStores(): Map<string, Store> {
  const stores = new Map<string, Store>();
  const add = (names: string[], store: Store) => names.forEach((name) => stores.set(name, store));

  for (const [count, ref] of Object.entries(COUNT_MBEANS) as Array<[BrokerCount, (typeof COUNT_MBEANS)[BrokerCount]]>) {
    const perTopic = (TOPIC_COUNTS as readonly string[]).includes(count);
    add(exporterNames(ref, 'Count'), (jmx, labels, value) => {
      if (labels.topic === undefined) jmx.counts[count] = value;
      else if (perTopic) setTopicCount(jmx, labels.topic, count as TopicCount, value);
    });
  }
  for (const [gauge, ref] of Object.entries(VALUE_MBEANS) as Array<[BrokerGauge, NonNullable<(typeof VALUE_MBEANS)[BrokerGauge]>]>) {
    add(exporterNames(ref, 'Value'), (jmx, labels, value) => {
      // Extra MBean keys (clientId=Replica) became labels of the same name.
      if (Object.entries(ref.keys ?? {}).every(([key, wanted]) => labels[key] === wanted)) jmx.gauges[gauge] = value;
    });
  }
  add(exporterNames(REQUEST_TIME_MBEAN, 'Percentile'), (jmx, labels, value) => {
    const percentile = QUANTILES[labels.quantile];
    if (percentile && isTimedRequest(labels.request)) setRequestTime(jmx, labels.request, percentile, value);
  });
  add(exporterNames(LOG_SIZE_MBEAN, 'Value'), (jmx, labels, value) => {
    if (labels.topic !== undefined) addTopicLogSize(jmx, labels.topic, value);
  });
  // JVM metrics of the exporter 1.x (client_java 1.x), and of 0.x as well.
  add(['jvm_memory_used_bytes', 'jvm_memory_bytes_used'], (jmx, labels, value) => {
    if (labels.area === 'heap') jmx.gauges.heapUsedBytes = value;
  });
  add(['jvm_memory_max_bytes', 'jvm_memory_bytes_max'], (jmx, labels, value) => {
    if (labels.area === 'heap' && value >= 0) jmx.gauges.heapMaxBytes = value;
  });
  add(['jvm_gc_collection_seconds_count'], (jmx, labels, value) => {
    if (labels.gc !== undefined) setGc(jmx, labels.gc, { collections: value });
  });
  add(['jvm_gc_collection_seconds_sum'], (jmx, labels, value) => {
    if (labels.gc !== undefined) setGc(jmx, labels.gc, { timeSeconds: value });
  });
  return stores;
}

const STORES = buildStores();

/** The exporter's series → a BrokerJmx; series it does not know and non-finite values are skipped. */
export function brokerJmxFromPrometheus(samples: readonly ExpositionSample[]): BrokerJmx {
  const jmx = emptyBrokerJmx();
  for (const sample of samples) {
    if (!Number.isFinite(sample.value)) continue;
    STORES.get(sample.name)?.(jmx, sample.labels, sample.value);
  }
  return jmx;
}
