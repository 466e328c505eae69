import { addTopicLogSize, BrokerJmx, emptyBrokerJmx, setGc, setRequestTime, setTopicCount, TIMED_REQUESTS, TopicCount } from './broker-jmx';
import { JmxEndpointError } from './jmx-endpoint-error';
import {
  COUNT_MBEANS,
  LOG_SIZE_MBEAN,
  MBeanRef,
  objectName,
  objectNameKeys,
  RAFT_ATTRIBUTES,
  REQUEST_TIME_MBEAN,
  SESSION_STATE_MBEAN,
  TOPIC_COUNTS,
  VALUE_MBEANS,
} from './kafka-mbeans';

/** One read of a Jolokia bulk request; `config.ignoreErrors` lets a missing attribute not fail the read. */
export interface JolokiaReadRequest {
  type: 'read';
  mbean: string;
  attribute: string[];
  config: { ignoreErrors: true };
}

type Attributes = Record<string, unknown>;

/** A read plus what to do with what it returns, per MBean that answered (several for a pattern). */
interface Read {
  request: JolokiaReadRequest;
  store(jmx: BrokerJmx, attributes: Attributes, keys: Map<string, string>): void;
}

const read = (mbean: string, attribute: string[], store: Read['store']): Read => ({ request: { type: 'read', mbean, attribute, config: { ignoreErrors: true } }, store });

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function countReads(): Read[] {
  return Object.entries(COUNT_MBEANS).map(([count, ref]) => {
    const perTopic = (TOPIC_COUNTS as readonly string[]).includes(count);
    // The `,*` pattern matches the broker-wide MBean and its per-topic siblings in one read.
    return read(objectName(ref, perTopic ? ',*' : ''), ['Count'], (jmx, attributes, keys) => {
      const value = num(attributes.Count);
      if (value === undefined) return;
      const topic = keys.get('topic');
      if (topic === undefined) jmx.counts[count as keyof typeof COUNT_MBEANS] = value;
      else if (perTopic) setTopicCount(jmx, topic, count as TopicCount, value);
    });
  });
}

function valueReads(): Read[] {
  return Object.entries(VALUE_MBEANS).map(([gauge, ref]) =>
    read(objectName(ref as MBeanRef), ['Value'], (jmx, attributes) => {
      const value = num(attributes.Value);
      if (value !== undefined) jmx.gauges[gauge as keyof typeof VALUE_MBEANS] = value;
    }),
  );
}

const READS: readonly Read[] = [
  // Only the broker's own app-info carries its id as a key (KRaft nodes also have one without).
  read('kafka.server:type=app-info,id=*', ['StartTimeMs'], (jmx, _attributes, keys) => {
    jmx.brokerId = keys.get('id') ?? jmx.brokerId;
  }),
  ...countReads(),
  ...valueReads(),
  ...TIMED_REQUESTS.map((request) =>
    read(objectName(REQUEST_TIME_MBEAN, `,request=${request}`), ['50thPercentile', '99thPercentile'], (jmx, attributes) => {
      const p50 = num(attributes['50thPercentile']);
      const p99 = num(attributes['99thPercentile']);
      if (p50 !== undefined) setRequestTime(jmx, request, 'p50', p50);
      if (p99 !== undefined) setRequestTime(jmx, request, 'p99', p99);
    }),
  ),
  read(objectName(LOG_SIZE_MBEAN, ',*'), ['Value'], (jmx, attributes, keys) => {
    const topic = keys.get('topic');
    const size = num(attributes.Value);
    if (topic !== undefined && size !== undefined) addTopicLogSize(jmx, topic, size);
  }),
  read('java.lang:type=Memory', ['HeapMemoryUsage'], (jmx, attributes) => {
    const heap = attributes.HeapMemoryUsage as { used?: unknown; max?: unknown } | undefined;
    const used = num(heap?.used);
    const max = num(heap?.max);
    if (used !== undefined) jmx.gauges.heapUsedBytes = used;
    if (max !== undefined && max >= 0) jmx.gauges.heapMaxBytes = max; // -1: no maximum set
  }),
  read('java.lang:type=GarbageCollector,name=*', ['CollectionCount', 'CollectionTime'], (jmx, attributes, keys) => {
    const collector = keys.get('name');
    const collections = num(attributes.CollectionCount);
    const timeMs = num(attributes.CollectionTime);
    if (collector === undefined || collections === undefined || collections < 0) return; // -1: not supported
    setGc(jmx, collector, { collections, timeSeconds: timeMs !== undefined && timeMs >= 0 ? timeMs / 1000 : undefined });
  }),
  read(objectName(SESSION_STATE_MBEAN), ['Value'], (jmx, attributes) => {
    if (typeof attributes.Value === 'string') jmx.zookeeperSessionState = attributes.Value;
  }),
  read('kafka.server:type=raft-metrics', Object.values(RAFT_ATTRIBUTES), (jmx, attributes) => {
    for (const [gauge, attribute] of Object.entries(RAFT_ATTRIBUTES)) {
      const value = num(attributes[attribute]);
      if (value !== undefined) jmx.gauges[gauge as keyof typeof RAFT_ATTRIBUTES] = value;
    }
  }),
];

/** The body of the one bulk POST sent to a broker's Jolokia per collection. */
export function jolokiaBulkRequest(): JolokiaReadRequest[] {
  return READS.map((r) => r.request);
}

interface JolokiaResponse {
  status?: number;
  value?: unknown;
}

/**
 * Turns the bulk response (one entry per read, in order) into a BrokerJmx. A read that failed
 * (404: an MBean this broker does not have, such as raft-metrics in ZooKeeper mode) leaves its
 * values absent; a body that is not a bulk response at all is an error.
 */
export function brokerJmxFromJolokia(body: unknown): BrokerJmx {
  if (!Array.isArray(body) || body.length !== READS.length) {
    throw new JmxEndpointError(`expected a bulk response of ${READS.length} entries, got ${Array.isArray(body) ? `${body.length} entries` : typeof body}`);
  }
  const jmx = emptyBrokerJmx();
  body.forEach((entry: JolokiaResponse, i) => {
    const { request, store } = READS[i];
    if (entry?.status !== 200 || typeof entry.value !== 'object' || entry.value === null) return;
    if (request.mbean.includes('*')) {
      // A pattern read answers { "<ObjectName>": { attribute: value } } per matching MBean.
      for (const [name, attributes] of Object.entries(entry.value as Record<string, Attributes>)) {
        if (typeof attributes === 'object' && attributes !== null) store(jmx, attributes, objectNameKeys(name));
      }
    } else {
      store(jmx, entry.value as Attributes, objectNameKeys(request.mbean));
    }
  });
  return jmx;
}
