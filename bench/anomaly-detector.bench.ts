/**
 * How many samples per second the anomaly detector judges, and with how much memory, on the
 * processor benchmark's samples (20,000 JMX-like series, 3 of the 10 metrics counters, 10 s
 * collections):
 *   1. its core alone, in this process: AnomalyDetector.observe over already decoded batches;
 *   2. the built app on a backlog pre-produced to Kafka (gzip, 6 partitions): decode, judge,
 *      publish, commit — from partitions assigned to every message consumed, with its peak RSS.
 * The app's new group would start at the end of the topic; its offsets are set to the beginning
 * first, as for a group resuming (docs/consumers.md). BENCH_ANOMALY_SAMPLES sets the backlog
 * (rounded to whole collections of 20,000; default 1,200,000 = 60 collections, past the 30 of warm-up).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '@doflamingo/config';
import { metricCatalogue, MetricBatch, topicNames } from '@doflamingo/contracts';
import { AnomalyDetector } from '../apps/anomaly-detector/src/detection/anomaly-detector';
import { endpoints, repoRoot } from '../devstack/topology';
import { Benchmark, round } from './harness';
import { processUsage } from './process-usage';
import * as samples from './processor-throughput.samples';

const DEFAULT_SAMPLES = 1_200_000;
const PARTITIONS = 6;
const PORT = Number(process.env.BENCH_ANOMALY_PORT ?? 9454);
const RSS_TARGET_MB = 300;
const STALL_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface ConsumerHealth {
  partitions: number[];
  eventsConsumed: number;
  eventsSkipped: number;
  samples: number;
  series: number;
  anomalies: number;
  published: number;
}

async function health(): Promise<ConsumerHealth | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${PORT}/health`, { signal: AbortSignal.timeout(2000) });
    return ((await response.json()) as { details?: { consumer?: ConsumerHealth } }).details?.consumer;
  } catch {
    return undefined;
  }
}

/** The detector's core on decoded batches: no Kafka, no JSON. */
function measureCore(timestamps: number[]): { samplesPerSecond: number; samples: number; anomalies: number; heapMb: number } {
  const settings = loadConfig('anomaly-detector', {}).anomaly;
  const catalogue = metricCatalogue();
  const detector = new AnomalyDetector({ ...settings, isCounter: (metric) => catalogue.get(metric)?.type === 'counter' || metric.endsWith('_total') });
  const batches: MetricBatch[][] = [...samples.collections(timestamps)].map((c) => c.messages.map((m) => m.event));
  const heapBefore = process.memoryUsage().heapUsed;
  let count = 0;
  let anomalies = 0;
  const started = process.hrtime.bigint();
  for (const collection of batches) {
    for (const batch of collection) {
      anomalies += detector.observe(batch, 0).length;
      count += batch.samples.length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { samplesPerSecond: count / seconds, samples: count, anomalies, heapMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 };
}

export const anomalyDetectorBenchmark: Benchmark = {
  name: 'anomaly-detector',
  description: 'Samples per second the anomaly detector judges (its core in process, and the built app on a Kafka backlog of 20,000 JMX-like series), with its memory.',
  async run(log) {
    const wanted = Number(process.env.BENCH_ANOMALY_SAMPLES ?? DEFAULT_SAMPLES);
    if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`BENCH_ANOMALY_SAMPLES must be a positive whole number, got ${process.env.BENCH_ANOMALY_SAMPLES}`);
    const plan = samples.plan(wanted, Date.now());
    const main = join(repoRoot, 'dist', 'apps', 'anomaly-detector', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run -s build" first`);

    log(`core: ${fmt(plan.samples)} samples of ${fmt(samples.SERIES)} series in process`);
    const core = measureCore(plan.timestamps);
    log(`core: ${fmt(core.samplesPerSecond)} samples/s, ${core.anomalies} anomalies`);

    const prefix = `bench-anomaly-${process.pid}`;
    const topics = topicNames(prefix);
    const group = `${prefix}-anomaly-detector`;
    const kafka = new Kafka({ clientId: 'doflamingo-bench', brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING, requestTimeout: 60_000 });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    let child: ReturnType<typeof spawn> | undefined;
    try {
      await admin.createTopics({ topics: [{ topic: topics.metrics, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true, timeout: 60_000 });
      await producer.connect();
      let messages = 0;
      const producedAt = Date.now();
      for (const collection of samples.collections(plan.timestamps)) {
        // One send per collection: 10 messages of 2,000 samples, well under the 1 MB batch limit once gzipped per partition.
        await producer.send({ topic: topics.metrics, acks: -1, compression: CompressionTypes.GZIP, messages: collection.messages.map(({ key, event }) => ({ key, value: JSON.stringify(event) })) });
        messages += collection.messages.length;
      }
      log(`produced ${fmt(messages)} messages (${fmt(plan.samples)} samples) in ${((Date.now() - producedAt) / 1000).toFixed(1)} s`);
      await admin.setOffsets({ groupId: group, topic: topics.metrics, partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: '0' })) });

      const spawnedAt = Date.now();
      child = spawn(process.execPath, [main], {
        env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), TOPIC_PREFIX: prefix, ANOMALY_DETECTOR_HTTP_PORT: String(PORT), METRICS_TOPIC_PARTITIONS: String(PARTITIONS), LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
      child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
      const pid = child.pid!;
      let peakRssMb = 0;
      const usage = () => {
        const now = processUsage(pid);
        if (now) peakRssMb = Math.max(peakRssMb, now.peakRssMb);
        return now;
      };
      while (!((await health())?.partitions.length ?? 0)) {
        if (child.exitCode !== null) throw new Error(`the detector exited (${child.exitCode}):\n${output}`);
        if (Date.now() - spawnedAt > 120_000) throw new Error(`the detector did not start consuming within 120 s:\n${output}`);
        await sleep(100);
      }
      const startedAt = Date.now();
      const cpuAtStart = usage()!.cpuSeconds;
      log(`detector consuming ${((startedAt - spawnedAt) / 1000).toFixed(1)} s after start`);
      let last: ConsumerHealth | undefined;
      let lastChange = startedAt;
      let lastReport = 0;
      while (true) {
        await sleep(250);
        const current = await health();
        usage();
        if (current && current.eventsConsumed !== last?.eventsConsumed) lastChange = Date.now();
        if (current) last = current;
        if ((last?.eventsConsumed ?? 0) >= messages) break;
        if (child.exitCode !== null) throw new Error(`the detector exited (${child.exitCode}):\n${output}`);
        if (Date.now() - lastChange > STALL_MS) throw new Error(`the detector consumed nothing for ${STALL_MS / 1000} s (${fmt(last?.eventsConsumed ?? 0)}/${fmt(messages)} messages):\n${output}`);
        if (Date.now() - lastReport > 2000) {
          log(`${fmt(last?.samples ?? 0)}/${fmt(plan.samples)} samples, RSS ${fmt(usage()?.rssMb ?? 0)} MB`);
          lastReport = Date.now();
        }
      }
      const seconds = (Date.now() - startedAt) / 1000;
      const cpuSeconds = usage()!.cpuSeconds - cpuAtStart;
      const end = last!;
      return {
        measurements: [
          { name: 'core: samples judged per second (in process, decoded batches)', value: Math.round(core.samplesPerSecond), unit: 'samples/s' },
          { name: 'core: heap growth for 20,000 series', value: round(core.heapMb, 1), unit: 'MiB' },
          { name: 'app: samples judged per second (partitions assigned → every message consumed)', value: Math.round(end.samples / seconds), unit: 'samples/s' },
          { name: 'app: samples judged', value: end.samples, unit: 'samples', target: `= ${plan.samples}`, met: end.samples === plan.samples },
          { name: 'app: time to judge the backlog', value: round(seconds, 1), unit: 's' },
          { name: 'app: CPU seconds per million samples', value: round((cpuSeconds / end.samples) * 1e6, 1), unit: 's' },
          { name: 'app: peak RSS (VmHWM)', value: Math.round(peakRssMb), unit: 'MB', target: `≤ ${RSS_TARGET_MB} MB`, met: peakRssMb <= RSS_TARGET_MB },
          { name: 'app: series tracked', value: end.series, unit: 'series' },
          { name: 'app: anomalies published', value: end.published, unit: 'events' },
        ],
        notes: [
          `${fmt(plan.samples)} samples: ${plan.collections} collections of ${fmt(samples.SERIES)} series (${samples.COUNTER_METRICS} of ${samples.METRIC_COUNT} metrics counters, judged as rates), default settings (window 60, warm-up 30, k 6).`,
          'The app decodes gzip JSON, validates with the contract schema, judges, publishes anomalies (acks all) and commits; the devstack\'s three brokers share the machine\'s 2 cores with it.',
          `The synthetic series are ramps, constants and steps; the core found ${core.anomalies} anomalies on the same samples (log start offsets jump by 1,000 every 30 collections, a real step on partitions whose offsets are small; ISR 3 → 2 blips are whole-number steps of 1, left to the alerter).`,
        ],
      };
    } finally {
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child!.once('exit', resolve));
      }
      await producer.disconnect().catch(() => undefined);
      await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)) }).catch(() => undefined);
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin.disconnect();
    }
  },
};
