import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { BrokerLogDir, MonitoredCluster } from '@doflamingo/config';
import type { ClusterClients } from '../../collection/cluster-clients';
import { CollectorContext } from '../../collection/collector';
import { LogDirsCollector, logDirsCollector } from './log-dirs.collector';

function context(logDirs: BrokerLogDir[], logger = pino({ level: 'silent' })): CollectorContext {
  return {
    cluster: { name: 'test', kafka: { brokers: ['h:9092'] } as MonitoredCluster['kafka'], jolokia: { urls: [] }, prometheusUrls: [], logDirs },
    clients: {} as ClusterClients,
    logger,
    agentId: 'test-agent',
    callTimeoutMs: 2000,
    intervalMs: { 'kafka-cluster': 10000, 'consumer-groups': 10000, jmx: 10000, zookeeper: 10000, probe: 10000, 'log-dirs': 30000, agent: 10000 },
  };
}

/** A pino logger that keeps what it writes. */
function recordingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('log-dirs collector', () => {
  const root = mkdtempSync(join(tmpdir(), 'doflamingo-log-dirs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const collect = (collector: LogDirsCollector) => collector.collect();

  it('applies only to clusters with log directories configured', () => {
    expect(logDirsCollector(context([]))).toBeUndefined();
    expect(logDirsCollector(context([{ broker: '1', dir: root }]))).toBeInstanceOf(LogDirsCollector);
  });

  it('reports each broker in its own batch, a missing directory as unreadable next to a readable one', async () => {
    const missing = join(root, 'gone');
    const sut = logDirsCollector(context([{ broker: '1', dir: root }, { broker: '1', dir: missing }, { broker: '2', dir: root + '/.' }]))! as LogDirsCollector;
    const batches = await collect(sut);
    expect(batches.map((b) => b.scope)).toEqual(['broker:1', 'broker:2']);
    const broker1 = batches[0].samples.map((s) => `${s.metric} ${s.labels.dir}`);
    expect(broker1).toEqual([
      `kafka_broker_log_dir_readable ${root}`,
      `kafka_broker_log_dir_capacity_bytes ${root}`,
      `kafka_broker_log_dir_free_bytes ${root}`,
      `kafka_broker_log_dir_readable ${missing}`,
    ]);
    expect(batches[0].samples[3].value).toBe(0);
    expect(batches[0].samples[1].value).toBeGreaterThan(0);
  });

  it('warns about an unreadable directory once a minute with the count of repeats, and says when it is back', async () => {
    const dir = join(root, 'later');
    const { logger, lines } = recordingLogger();
    const sut = logDirsCollector(context([{ broker: '3', dir }], logger))! as LogDirsCollector;
    await collect(sut);
    await collect(sut);
    await collect(sut);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ broker: '3', dir, suppressed: 0, cluster: 'test', msg: expect.stringContaining('not readable') });
    expect(String(warnings[0].err)).toContain('ENOENT');

    mkdirSync(dir);
    const samples = (await collect(sut)).flatMap((b) => b.samples);
    expect(samples.find((s) => s.metric === 'kafka_broker_log_dir_readable')?.value).toBe(1);
    expect(lines.filter((l) => l.level === 30).map((l) => l.msg)).toEqual(['Kafka log directory readable again']);
  });
});
