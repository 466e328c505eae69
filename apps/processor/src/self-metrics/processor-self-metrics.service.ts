import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { METRIC_EVENT_SCHEMA_VERSION, MetricBatch, MetricSample, processorMetrics as pm, sample } from '@doflamingo/contracts';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { ProcessorStats } from '../consuming/processor-stats';
import { ProcessorOutput } from '../publishing/processor-output.service';
import { ClickHouseSink } from '../storage/clickhouse-sink.service';
import { SinkHealth } from '../storage/sink-health';

/**
 * Publishes the processor's own figures on the metrics topic every interval, like an agent's
 * self-metrics, so an outage of ClickHouse shows up on the dashboard and in alerts. The cluster
 * name is the topic prefix: the Doflamingo installation itself.
 */
@Injectable()
export class ProcessorSelfMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private publishing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stats: ProcessorStats,
    private readonly sink: ClickHouseSink,
    private readonly output: ProcessorOutput,
    @InjectPinoLogger(ProcessorSelfMetrics.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.publish(), this.config.processor.selfMetricsIntervalMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  samples(): MetricSample[] {
    const instance = { instance: this.config.instanceId };
    const s = this.stats;
    const sinks: Array<[string, SinkHealth]> = [
      ['clickhouse', this.sink.health],
      ['kafka', this.output.health],
    ];
    return [
      sample(pm.eventsConsumed, instance, s.eventsConsumed),
      sample(pm.samplesStored, instance, s.samplesStored),
      sample(pm.eventsDeadLettered, instance, s.eventsDeadLettered),
      sample(pm.eventsDuplicate, instance, s.eventsDuplicate),
      sample(pm.samplesLate, instance, s.samplesLate),
      sample(pm.windowsWritten, { ...instance, resolution: '10s' }, s.windowsWritten['10s']),
      sample(pm.windowsWritten, { ...instance, resolution: '1m' }, s.windowsWritten['1m']),
      sample(pm.openWindows, instance, s.openWindows),
      sample(pm.uncommittedMessages, instance, s.uncommittedMessages),
      sample(pm.partitionsAssigned, instance, s.partitionsAssigned),
      sample(pm.paused, instance, s.paused ? 1 : 0),
      sample(pm.residentMemory, instance, process.memoryUsage.rss()),
      ...sinks.flatMap(([name, health]) => [
        sample(pm.sinkUp, { ...instance, sink: name }, health.state.up ? 1 : 0),
        sample(pm.sinkDownSeconds, { ...instance, sink: name }, health.downForSeconds()),
        sample(pm.sinkFailures, { ...instance, sink: name }, health.state.failures),
      ]),
    ];
  }

  private async publish(): Promise<void> {
    // One at a time: while Kafka is down the send retries, and ticks in between are skipped.
    if (this.publishing) return;
    this.publishing = true;
    const batch: MetricBatch = {
      schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
      cluster: this.config.topicPrefix,
      source: { agentId: this.config.instanceId, collector: 'processor' },
      timestamp: Date.now(),
      samples: this.samples(),
    };
    try {
      await this.output.publishOwnMetrics(batch, `${this.config.topicPrefix}/processor/${this.config.instanceId}`);
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'processor self-metrics not published');
    } finally {
      this.publishing = false;
    }
  }
}
