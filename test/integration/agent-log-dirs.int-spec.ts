import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { BrokerLogDir } from '@doflamingo/config';
import { MetricBatch, metricBatchSchema, MetricSample } from '@doflamingo/contracts';
import { LogDirsCollector, logDirsCollector } from '../../apps/agent/src/collectors/log-dirs/log-dirs.collector';
import { devstackKafkaLogDirs } from '../../devstack/paths';
import { endpoints } from '../../devstack/topology';
import { RunningApp, startApp } from '../support/app-process';
import { allSamples, collectorContext, devstackCluster, valueOf } from '../support/collector-harness';
import { devstackMonitorEnv } from '../support/devstack-env';
import { freePort } from '../support/free-port';
import { MetricsTopicReader } from '../support/metrics-topic-reader';
import { eventually } from '../support/eventually';
import { connectAdmin } from '../support/kafka-admin';

/** Brokers, other tests and ClickHouse write to the same disk while we compare: free space may move this much. */
const FREE_TOLERANCE_BYTES = 256 * 1024 * 1024;

/** What coreutils' df (statvfs, a different call than Node's statfs) says about the filesystem under a path. */
function df(path: string): { size: number; avail: number } {
  const [, values] = execFileSync('df', ['-B1', '--output=size,avail', path], { encoding: 'utf8' }).trim().split('\n');
  const [size, avail] = values.trim().split(/\s+/).map(Number);
  return { size, avail };
}

/** The broker id Kafka wrote into a log directory it owns. */
function brokerIdIn(dir: string): string | undefined {
  return /^broker\.id=(\d+)$/m.exec(readFileSync(join(dir, 'meta.properties'), 'utf8'))?.[1];
}

/** A pino logger that keeps what it writes. */
function recordingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }), lines };
}

const bytesOf = (samples: MetricSample[], { broker, dir }: BrokerLogDir) => ({
  readable: valueOf(samples, 'kafka_broker_log_dir_readable', { broker, dir }),
  capacity: valueOf(samples, 'kafka_broker_log_dir_capacity_bytes', { broker, dir }),
  free: valueOf(samples, 'kafka_broker_log_dir_free_bytes', { broker, dir }),
});

/**
 * The log-dirs collector against the devstack brokers' real log directories (the agent runs on
 * their host), and a directory that is not there.
 */
describe('log-dirs collector (devstack)', () => {
  const scratch = mkdtempSync(join(tmpdir(), `doflamingo-it-log-dirs-${process.pid}-`));
  const missing = join(scratch, 'not-yet');
  const cluster = devstackCluster({ MONITOR_KAFKA_LOG_DIRS: `${devstackKafkaLogDirs()},1=${missing}` });
  const brokerDirs = cluster.logDirs.filter((logDir) => logDir.dir !== missing);
  const context = collectorContext(cluster);
  const sut = logDirsCollector(context) as LogDirsCollector;

  afterAll(async () => {
    await context.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("configures the devstack brokers' own log directories", () => {
    expect(brokerDirs.map((d) => d.broker)).toEqual(['1', '2', '3']);
    for (const { broker, dir } of brokerDirs) expect([dir, brokerIdIn(dir)]).toEqual([dir, broker]);
  });

  it('reports capacity and free bytes of every broker log directory as statfs and df see them', async () => {
    const before = await Promise.all(brokerDirs.map(({ dir }) => statfs(dir)));
    const batches = await sut.collect();
    const after = await Promise.all(brokerDirs.map(({ dir }) => statfs(dir)));
    const samples = allSamples(batches);

    brokerDirs.forEach((logDir, i) => {
      const reported = bytesOf(samples, logDir);
      const seen = df(logDir.dir);
      expect([logDir.broker, reported.readable]).toEqual([logDir.broker, 1]);
      expect(reported.capacity).toBe(after[i].blocks * after[i].bsize);
      expect(reported.capacity).toBe(seen.size);
      // Free space moves while we look: it must lie between the readings taken around the collection.
      const bounds = [before[i].bavail * before[i].bsize, after[i].bavail * after[i].bsize];
      expect(reported.free).toBeGreaterThanOrEqual(Math.min(...bounds) - FREE_TOLERANCE_BYTES);
      expect(reported.free).toBeLessThanOrEqual(Math.max(...bounds) + FREE_TOLERANCE_BYTES);
      expect(Math.abs(reported.free! - seen.avail)).toBeLessThan(FREE_TOLERANCE_BYTES);
      expect(reported.free).toBeLessThanOrEqual(reported.capacity!);
    });
    // One batch per broker, each valid under the metric event contract.
    expect(batches.map((b) => b.scope).sort()).toEqual(['broker:1', 'broker:2', 'broker:3']);
    for (const { scope, samples: batchSamples } of batches) {
      const event = { schemaVersion: 1, cluster: cluster.name, source: { agentId: context.agentId, collector: 'log-dirs' }, timestamp: Date.now(), samples: batchSamples };
      expect([scope, metricBatchSchema.safeParse(event).success]).toEqual([scope, true]);
    }
  });

  describe('a directory that is not there', () => {
    // A collector of its own, so that its log holds only what it wrote.
    const { logger, lines } = recordingLogger();
    const watcher = logDirsCollector({ ...context, logger }) as LogDirsCollector;
    const gone = { broker: '1', dir: missing };

    it('is reported unreadable, without byte gauges, next to the readable ones, with one warning', async () => {
      const first = allSamples(await watcher.collect());
      const second = allSamples(await watcher.collect());
      for (const samples of [first, second]) {
        expect(bytesOf(samples, gone)).toEqual({ readable: 0, capacity: undefined, free: undefined });
        expect(bytesOf(samples, brokerDirs[0]).readable).toBe(1); // broker 1's real directory, in the same batch
      }
      const warnings = lines.filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ broker: '1', dir: missing, msg: 'Kafka log directory not readable: its disk space is not reported' });
      expect(String(warnings[0].err)).toContain('ENOENT');
    });

    it('is reported once it exists, and the log says so', async () => {
      mkdirSync(missing);
      const samples = allSamples(await watcher.collect());
      const stats = await statfs(missing);
      expect(bytesOf(samples, gone)).toMatchObject({ readable: 1, capacity: stats.blocks * stats.bsize });
      expect(lines.filter((line) => line.level === 30).map((line) => line.msg)).toEqual(['Kafka log directory readable again']);
    });
  });
});

describe('the agent with the devstack environment (devstack)', () => {
  const prefix = `test-logdirs-${process.pid}`;
  let agent: RunningApp;
  let reader: MetricsTopicReader;

  beforeAll(async () => {
    agent = startApp('agent', {
      ...devstackMonitorEnv(),
      TOPIC_PREFIX: prefix,
      AGENT_HTTP_PORT: String(await freePort()),
      AGENT_INTERVAL_LOG_DIRS_MS: '1000',
      LOG_LEVEL: 'warn',
    });
    const admin = await connectAdmin(endpoints.kafkaBrokers);
    try {
      await eventually(async () => admin.listTopics(), (topics) => topics.includes(`${prefix}.metrics`), 60000, `the agent creating ${prefix}.metrics`);
    } finally {
      await admin.disconnect();
    }
    reader = new MetricsTopicReader(endpoints.kafkaBrokers, `${prefix}.metrics`);
    await reader.start();
  });

  afterAll(async () => {
    agent?.child.kill('SIGTERM');
    await agent?.exited;
    await reader?.stop();
    const admin = await connectAdmin(endpoints.kafkaBrokers);
    await admin.deleteTopics({ topics: [`${prefix}.metrics`] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("publishes the disk space under each devstack broker's log directory", async () => {
    const fromBroker = (broker: string) => (b: MetricBatch) => b.source.collector === 'log-dirs' && b.samples.some((s) => s.labels.broker === broker);
    for (const { broker, dir } of devstackCluster({ MONITOR_KAFKA_LOG_DIRS: devstackKafkaLogDirs() }).logDirs) {
      const batch = await reader.waitFor(fromBroker(broker), 30000, `a log-dirs batch for broker ${broker}`);
      expect(valueOf(batch.samples, 'kafka_broker_log_dir_readable', { broker, dir })).toBe(1);
      expect(valueOf(batch.samples, 'kafka_broker_log_dir_capacity_bytes', { broker, dir })).toBe(df(dir).size);
    }
    expect(reader.invalid).toEqual([]);
  });
});
