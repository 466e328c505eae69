/**
 * The samples the processor-throughput benchmark feeds to every contender: what an agent's JMX
 * collection of a large cluster looks like. 10 metrics (3 of them counters) for each of 2,000
 * partitions (100 topics × 20, led by 12 brokers) make 20,000 series, labelled broker/topic/
 * partition. One collection every 10 s gives each series one sample; the samples of one broker go
 * in one message keyed `<cluster>/<collector>/broker:<id>` (the agent's JMX scope), at most 2,000
 * samples per message, as the agent publishes them.
 *
 * The same samples come out in two shapes: metric events (what the processor reads) and flat
 * `samples_raw` rows (what ClickHouse's Kafka engine and clickhouse-client load). series_id is
 * computed here by the processor's rule (first 64 bits of SHA-1 of the JSON key), written anew and
 * not imported, so the benchmark's check that all contenders stored the same rows means something.
 */
import { createHash } from 'node:crypto';
import { MetricBatch, METRIC_EVENT_SCHEMA_VERSION } from '@doflamingo/contracts';

export const CLUSTER = 'bench';
export const AGENT_ID = 'bench-agent-1';
export const COLLECTOR = 'jmx';
export const BROKERS = 12;
export const TOPICS = 100;
export const PARTITIONS_PER_TOPIC = 20;
export const INTERVAL_MS = 10_000;
/** The agent's limit (MAX_SAMPLES_PER_MESSAGE). */
export const MAX_SAMPLES_PER_MESSAGE = 2000;

interface MetricShape {
  name: string;
  counter: boolean;
  /** Value of series `h` (a fixed pseudo-random number in [0, 1) per series) at collection `c`. */
  value: (h: number, c: number, broker: number) => number;
}

const METRICS: MetricShape[] = [
  { name: 'kafka_log_size_bytes', counter: false, value: (h, c) => Math.round(1e6 + h * 1e9 + c * h * 1e5) },
  { name: 'kafka_log_segments', counter: false, value: (h, c) => 1 + Math.floor(h * 50) + Math.floor(c / 60) },
  { name: 'kafka_log_start_offset', counter: false, value: (h, c) => Math.floor(h * 1e6) + 1000 * Math.floor(c / 30) },
  { name: 'kafka_log_end_offset', counter: false, value: (h, c) => Math.floor(h * 1e7) + c * Math.floor(h * 5000) },
  { name: 'kafka_partition_in_sync_replicas', counter: false, value: (h, c) => ((c + Math.floor(h * 1000)) % 997 === 0 ? 2 : 3) },
  { name: 'kafka_partition_under_replicated', counter: false, value: (h, c) => ((c + Math.floor(h * 1000)) % 997 === 0 ? 1 : 0) },
  { name: 'kafka_partition_leader_epoch', counter: false, value: (h) => Math.floor(h * 20) },
  { name: 'kafka_partition_messages_in_total', counter: true, value: (h, c) => Math.floor(h * 1e6) + c * Math.floor(h * 5000) },
  { name: 'kafka_partition_bytes_in_total', counter: true, value: (h, c) => Math.floor(h * 1e9) + c * Math.floor(h * 5e6) },
  { name: 'kafka_partition_bytes_out_total', counter: true, value: (h, c) => Math.floor(h * 2e9) + c * Math.floor(h * 1.2e7) + 0.5 },
];

export const METRIC_COUNT = METRICS.length;
export const COUNTER_METRICS = METRICS.filter((m) => m.counter).length;
export const SERIES = METRICS.length * TOPICS * PARTITIONS_PER_TOPIC;

interface Series {
  metric: MetricShape;
  broker: number;
  labels: Record<string, string>;
  labelValues: string[];
  seriesId: string;
  h: number;
}

/** A row of `samples_raw` as inserted (date and inserted_at left to their defaults). */
export interface FlatRow {
  ts: number;
  ts_ms: number;
  cluster: string;
  metric: string;
  series_id: string;
  label_names: string[];
  label_values: string[];
  value: number;
  agent: string;
  collector: string;
}

export const FLAT_COLUMNS = ['ts', 'ts_ms', 'cluster', 'metric', 'series_id', 'label_names', 'label_values', 'value', 'agent', 'collector'] as const;
const LABEL_NAMES = ['broker', 'partition', 'topic'];

/** One agent collection: its event time and its messages (one or more per broker). */
export interface Collection {
  index: number;
  timestamp: number;
  messages: Array<{ key: string; event: MetricBatch; rows: FlatRow[] }>;
}

function unitHash(text: string): number {
  return createHash('md5').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** series_id: first 64 bits of SHA-1 of the JSON [cluster, metric, name, value…], label names sorted. */
export function seriesId(cluster: string, metric: string, labels: Record<string, string>): string {
  const parts = [cluster, metric];
  for (const name of Object.keys(labels).sort()) parts.push(name, labels[name]);
  return createHash('sha1').update(JSON.stringify(parts)).digest().readBigUInt64BE(0).toString();
}

/** The series of one broker, partition-major (all metrics of one partition together), like a JMX read. */
function seriesByBroker(): Series[][] {
  const byBroker: Series[][] = Array.from({ length: BROKERS }, () => []);
  for (let t = 0; t < TOPICS; t++) {
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      const broker = ((t * PARTITIONS_PER_TOPIC + p) % BROKERS) + 1;
      const topic = `topic-${String(t).padStart(3, '0')}`;
      for (const metric of METRICS) {
        const labels = { broker: String(broker), topic, partition: String(p) };
        byBroker[broker - 1].push({
          metric,
          broker,
          labels,
          labelValues: LABEL_NAMES.map((name) => labels[name as keyof typeof labels]),
          seriesId: seriesId(CLUSTER, metric.name, labels),
          h: unitHash(`${metric.name}/${topic}/${p}`),
        });
      }
    }
  }
  return byBroker;
}

export interface Plan {
  collections: number;
  samples: number;
  firstTimestamp: number;
  lastTimestamp: number;
  /** Rows the rollup tables should end with: one per series and 10 s (resp. 1 min) window that has samples. */
  expectedRollups: { '10s': number; '1m': number };
}

/**
 * Enough whole collections for `wantedSamples` (at least one), stamped every 10 s (plus a few
 * hundred ms of drift, as a scheduler has) and ending two minutes before `now`, so no event is in
 * the future and the last windows close on the processor's idle flush.
 */
export function plan(wantedSamples: number, now: number): Plan & { timestamps: number[] } {
  const collections = Math.max(1, Math.round(wantedSamples / SERIES));
  const start = Math.floor((now - collections * INTERVAL_MS - 120_000) / 60_000) * 60_000;
  const timestamps = Array.from({ length: collections }, (_, c) => start + c * INTERVAL_MS + ((c * 337) % 900));
  const windows = (size: number) => new Set(timestamps.map((t) => Math.floor(t / size))).size;
  return {
    collections,
    samples: collections * SERIES,
    firstTimestamp: timestamps[0],
    lastTimestamp: timestamps[timestamps.length - 1],
    expectedRollups: { '10s': windows(10_000) * SERIES, '1m': windows(60_000) * SERIES },
    timestamps,
  };
}

/** Yields the collections of a plan one at a time (memory stays at one collection). */
export function* collections(timestamps: number[]): Generator<Collection> {
  const byBroker = seriesByBroker();
  for (let c = 0; c < timestamps.length; c++) {
    const timestamp = timestamps[c];
    const messages: Collection['messages'] = [];
    for (const series of byBroker) {
      for (let start = 0; start < series.length; start += MAX_SAMPLES_PER_MESSAGE) {
        const chunk = series.slice(start, start + MAX_SAMPLES_PER_MESSAGE);
        const values = chunk.map((s) => s.metric.value(s.h, c, s.broker));
        const event: MetricBatch = {
          schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
          cluster: CLUSTER,
          source: { agentId: AGENT_ID, collector: COLLECTOR },
          timestamp,
          samples: chunk.map((s, i) => ({ metric: s.metric.name, labels: s.labels, value: values[i] })),
        };
        const rows = chunk.map<FlatRow>((s, i) => ({
          ts: Math.floor(timestamp / 1000),
          ts_ms: timestamp % 1000,
          cluster: CLUSTER,
          metric: s.metric.name,
          series_id: s.seriesId,
          label_names: LABEL_NAMES,
          label_values: s.labelValues,
          value: values[i],
          agent: AGENT_ID,
          collector: COLLECTOR,
        }));
        messages.push({ key: `${CLUSTER}/${COLLECTOR}/broker:${chunk[0].broker}`, event, rows });
      }
    }
    yield { index: c, timestamp, messages };
  }
}

/** One row as a JSONEachRow line (no newline). */
export function jsonRow(row: FlatRow): string {
  return JSON.stringify(row);
}

/** One row as a TabSeparated line (no newline); the generated strings need no escaping. */
export function tsvRow(row: FlatRow): string {
  const array = (values: string[]) => `[${values.map((v) => `'${v}'`).join(',')}]`;
  return `${row.ts}\t${row.ts_ms}\t${row.cluster}\t${row.metric}\t${row.series_id}\t${array(row.label_names)}\t${array(row.label_values)}\t${row.value}\t${row.agent}\t${row.collector}`;
}
