import type { MetricSample } from '@doflamingo/contracts';
import { LogThrottle } from '@doflamingo/logging';
import { CollectedBatch, Collector, CollectorContext, CollectorFactory } from '../../collection/collector';
import { LogDirReader } from './log-dir-reader';
import { logDirSamples } from './log-dir-samples';

/**
 * Disk space under the brokers' log directories the agent can see (on the broker's host, or
 * mounted), for alerts that project a filling disk. All directories are read in parallel; one that
 * is missing or unreadable is reported as `kafka_broker_log_dir_readable 0` and a warning at most
 * once a minute per directory (with the count of repeats), never as an error of the collection.
 *
 * No "used by the directory tree" gauge: summing sizes means one stat per file, linear in partitions ×
 * segments (about 0.5 s of CPU per 24 000 files, every interval, on the broker's host). Kafka reports
 * its own share over JMX (kafka_broker_topic_log_size_bytes) and capacity − free is the disk's use.
 */
export class LogDirsCollector implements Collector {
  readonly name = 'log-dirs' as const;
  private readonly throttle = new LogThrottle(60000);
  private readonly unreadable = new Set<string>();

  constructor(
    private readonly context: CollectorContext,
    private readonly readers: LogDirReader[],
  ) {}

  async collect(): Promise<CollectedBatch[]> {
    const byBroker = new Map<string, MetricSample[]>();
    const readings = await Promise.all(this.readers.map(async (reader) => ({ logDir: reader.logDir, reading: await reader.read() })));
    for (const { logDir, reading } of readings) {
      const samples = byBroker.get(logDir.broker) ?? [];
      byBroker.set(logDir.broker, samples);
      const where = { cluster: this.context.cluster.name, broker: logDir.broker, dir: logDir.dir };
      if (reading.readable) {
        if (this.unreadable.delete(logDir.dir)) {
          this.throttle.clear(logDir.dir);
          this.context.logger.info(where, 'Kafka log directory readable again');
        }
        samples.push(...logDirSamples(logDir, reading.space));
      } else {
        this.unreadable.add(logDir.dir);
        const admitted = this.throttle.admit(logDir.dir);
        if (admitted) this.context.logger.warn({ ...where, err: reading.reason, suppressed: admitted.suppressed }, 'Kafka log directory not readable: its disk space is not reported');
        samples.push(...logDirSamples(logDir, undefined));
      }
    }
    return [...byBroker].map(([broker, samples]) => ({ scope: `broker:${broker}`, samples }));
  }

  async close(): Promise<void> {}
}

export const logDirsCollector: CollectorFactory = (context) =>
  context.cluster.logDirs.length === 0 ? undefined : new LogDirsCollector(context, context.cluster.logDirs.map((logDir) => new LogDirReader(logDir, context.callTimeoutMs)));
