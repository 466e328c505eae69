import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EachBatchPayload } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { AnomalyEvent, decodeMetricBatch, metricCatalogue, topicNames } from '@doflamingo/contracts';
import { consumeTopics, ConsumerHandle, KafkaClients, metricsTopicSpec } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { AnomalyDetector } from '../detection/anomaly-detector';
import { AnomalyPublisher } from '../publishing/anomaly-publisher.service';

/** How often idle series are looked for (at most; sooner when the idle time is shorter). */
const SWEEP_MS = 60_000;
/** Repeated warnings (skipped events, refused series) are logged once per this interval, with a count. */
const LOG_INTERVAL_MS = 60_000;

/**
 * The anomaly detector's consumer group on the metrics topic: a downstream consumer of the metric
 * contract (docs/consumers.md). Each batch is decoded with the contract's schema (what breaks it is
 * counted and skipped — the processor dead-letters it already), every sample is judged against its
 * series' baseline, and the anomalies are published before the batch returns, so the offsets
 * kafkajs commits after it never cover an anomaly not yet on the anomalies topic. When kafkajs gives up
 * on the consumer, consumeTopics starts a new one in the same group; /health is down meanwhile and
 * counts the `restarts`.
 */
@Injectable()
export class AnomalyConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly detector: AnomalyDetector;
  private consumer?: ConsumerHandle;
  private startup = 'not consuming yet';
  private partitions: number[] = [];
  private sweep?: NodeJS.Timeout;
  private readonly stop = new AbortController();
  private readonly throttle = new LogThrottle(LOG_INTERVAL_MS);
  private readonly topics: ReturnType<typeof topicNames>;
  eventsConsumed = 0;
  eventsSkipped = 0;
  private sinceHeartbeat = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: KafkaClients,
    private readonly publisher: AnomalyPublisher,
    private readonly indicators: HealthIndicatorService,
    @InjectPinoLogger(AnomalyConsumer.name) private readonly logger: PinoLogger,
  ) {
    this.topics = topicNames(config.topicPrefix);
    this.detector = new AnomalyDetector({ ...config.anomaly, isCounter: counterTest() });
  }

  onApplicationBootstrap(): void {
    const settings = this.config.anomaly;
    this.sweep = setInterval(() => {
      const forgotten = this.detector.forgetIdle();
      if (forgotten > 0) this.logger.debug({ forgotten, series: this.detector.size }, 'forgot idle series');
    }, Math.min(SWEEP_MS, settings.seriesIdleMs));
    void this.start().catch((error: Error) => {
      if (this.stop.signal.aborted) return;
      this.startup = `failed to start: ${error.message}`;
      this.logger.error({ err: error.message }, 'anomaly consumer failed to start');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.sweep);
    this.stop.abort();
    await this.consumer?.stop().catch(() => undefined);
  }

  check(key = 'consumer') {
    const indicator = this.indicators.check(key);
    const details = {
      group: this.config.anomaly.consumerGroup,
      partitions: this.partitions,
      series: this.detector.size,
      eventsConsumed: this.eventsConsumed,
      eventsSkipped: this.eventsSkipped,
      ...this.detector.stats,
      published: this.publisher.published,
      restarts: this.consumer?.restarts ?? 0,
    };
    if (!this.consumer) return indicator.down({ message: this.startup, ...details });
    return this.consumer.running ? indicator.up(details) : indicator.down({ message: 'the metrics consumer stopped on an error and is being restarted', ...details });
  }

  private async start(): Promise<void> {
    const group = this.config.anomaly.consumerGroup;
    this.consumer = await consumeTopics({
      clients: this.clients,
      topics: [metricsTopicSpec(this.config)],
      alsoCreate: [metricsTopicSpec(this.config, this.topics.anomalies)],
      consumer: {
        groupId: group,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
        maxBytesPerPartition: 1024 * 1024,
        retry: { retries: Infinity, initialRetryTime: 500, maxRetryTime: 15000 },
      },
      fromBeginning: false,
      run: { eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) },
      signal: this.stop.signal,
      // Every new consumer (a crashed one is replaced) reports its assignment.
      onConsumer: (consumer) => consumer.on(consumer.events.GROUP_JOIN, (event) => this.rebalanced(event.payload.memberAssignment[this.topics.metrics] ?? [])),
      onRetry: (step, error, attempt) => {
        this.startup = `not consuming yet: cannot ${step}: ${error.message}`;
        this.logger.warn({ attempt, err: error.message }, `cannot ${step} for the metrics topic yet; retrying`);
      },
      onCrash: (error, restartInMs) => this.logger.error({ err: error.message, restartInMs }, 'the anomaly consumer stopped on an error; starting a new one'),
    });
    if (!this.consumer) return;
    this.logger.info({ topic: this.topics.metrics, group, anomalies: this.publisher.topic, detector: this.detector.name }, 'detecting anomalies in metric events');
  }

  private rebalanced(partitions: number[]): void {
    this.partitions = [...partitions].sort((a, b) => a - b);
    const forgotten = this.detector.keepPartitions(partitions);
    this.logger.info({ partitions: this.partitions, forgotten }, 'partitions assigned');
  }

  /**
   * Judges a batch's samples, publishes the anomalies, and only then resolves the offsets (kafkajs
   * commits resolved offsets). A rebalance or shutdown mid-batch stops at the message reached.
   */
  private async handleBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const anomalies: AnomalyEvent[] = [];
    let last: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      this.eventsConsumed++;
      const decoded = decodeMetricBatch(message.value);
      if (decoded.ok) {
        const refusedBefore = this.detector.stats.seriesRefused;
        anomalies.push(...this.detector.observe(decoded.batch, batch.partition));
        if (this.detector.stats.seriesRefused > refusedBefore) this.refused();
      } else {
        this.skipped(batch.partition, message.offset, decoded.reason);
      }
      last = message.offset;
      if (++this.sinceHeartbeat >= 200) {
        this.sinceHeartbeat = 0;
        await heartbeat().catch(() => undefined);
      }
    }
    // Throws when the app stops before the anomalies are out: the offsets then stay unresolved.
    await this.publisher.publish(anomalies, this.stop.signal);
    if (last !== undefined) resolveOffset(last);
    await heartbeat().catch(() => undefined);
  }

  private skipped(partition: number, offset: string, reason: string): void {
    this.eventsSkipped++;
    const admitted = this.throttle.admit('skipped');
    if (admitted) this.logger.warn({ partition, offset, reason, skippedSinceLastLog: admitted.suppressed + 1, skippedTotal: this.eventsSkipped }, 'skipping metric events that break the contract');
  }

  private refused(): void {
    const admitted = this.throttle.admit('refused');
    if (admitted) {
      this.logger.warn({ maxSeries: this.config.anomaly.maxSeries, refusedTotal: this.detector.stats.seriesRefused }, 'tracking the most series allowed: new series are not judged (raise ANOMALY_DETECTOR_MAX_SERIES)');
    }
  }
}

/** Counters are judged by their rate: catalogued counters, and uncatalogued `*_total` metrics (the processor's rule too). */
function counterTest(): (metric: string) => boolean {
  const catalogue = metricCatalogue();
  return (metric) => {
    const definition = catalogue.get(metric);
    return definition ? definition.type === 'counter' : metric.endsWith('_total');
  };
}
