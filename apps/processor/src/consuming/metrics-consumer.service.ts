import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { MetricBatch, metricCatalogue, ROLLUP_RESOLUTIONS } from '@doflamingo/contracts';
import { consumeTopics, ConsumerHandle, KafkaClients, metricsTopicSpec } from '@doflamingo/kafka';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { sleep } from '@doflamingo/runtime';
import { DuplicateFilter } from '../decoding/duplicate-filter';
import { decodeMetricEvent } from '../decoding/metric-event-decoder';
import { DeadLetter, ProcessorOutput } from '../publishing/processor-output.service';
import { SchemaMigrator } from '../schema-migrator.service';
import { SeriesIdentities, SeriesIdentity } from '../series/series-identity';
import { ClickHouseSink } from '../storage/clickhouse-sink.service';
import { rawLine, sourceColumns } from '../storage/table-rows';
import { ClosedWindow, EventTimeWindows } from '../windows/event-time-windows';
import { committableOffset, PartitionProgress, PendingWrites } from './partition-progress';
import { ProcessorStats } from './processor-stats';

/** How often idle partitions are looked for. */
const IDLE_CHECK_MS = 1000;
/** While a batch waits for a downstream, it heartbeats this often and checks for a rebalance. */
const WAIT_TICK_MS = 1000;
/** Samples decoded and stored per step of a Kafka batch (bounds memory whatever the fetch size). */
const MAX_ROWS_PER_STEP = 20_000;
/** Background writes at most (each a step's raw rows, or a set of closed windows): bounds memory during a ClickHouse outage. */
const MAX_WRITES_IN_FLIGHT = 8;

interface Step {
  rows: string[];
  letters: DeadLetter[];
  accepted: Array<{ message: KafkaMessage; event: MetricBatch; series: SeriesIdentity[] }>;
  messages: number;
  firstOffset?: string;
  lastOffset?: string;
}

const newStep = (): Step => ({ rows: [], letters: [], accepted: [], messages: 0 });

/**
 * The processor's consumer group on the metrics topic. For every Kafka batch: decode and validate
 * each event (failures go to the dead-letter topic), store every sample in `samples_raw`, add it
 * to its event-time windows, and store the windows that closed in the rollup tables and on the
 * rollup topic. Offsets are committed by a timer, and never past a message whose rows, or whose
 * windows, are not yet stored: a crash replays from there, and ClickHouse's ReplacingMergeTree
 * tables absorb what is stored twice.
 */
@Injectable()
export class MetricsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: Consumer;
  private handle?: ConsumerHandle;
  private readonly topic: string;
  private readonly windows: EventTimeWindows;
  private readonly duplicates: DuplicateFilter;
  private readonly identities = new SeriesIdentities();
  private readonly progress = new Map<number, PartitionProgress>();
  private readonly pending = new PendingWrites();
  /** Bumped on every rebalance: work begun in an older generation must not touch the new state. */
  private generation = 0;
  private readonly stop = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  /** Raw-row and window writes running in the background (bounded by MAX_WRITES_IN_FLIGHT). */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: KafkaClients,
    private readonly sink: ClickHouseSink,
    private readonly output: ProcessorOutput,
    private readonly schema: SchemaMigrator,
    private readonly stats: ProcessorStats,
    private readonly indicators: HealthIndicatorService,
    @InjectPinoLogger(MetricsConsumer.name) private readonly logger: PinoLogger,
  ) {
    this.topic = output.topics.metrics;
    const settings = config.processor;
    this.windows = new EventTimeWindows({
      resolutions: [
        { name: '10s', sizeMs: ROLLUP_RESOLUTIONS['10s'] },
        { name: '1m', sizeMs: ROLLUP_RESOLUTIONS['1m'] },
      ],
      allowedLatenessMs: settings.allowedLatenessMs,
      isCounter: counterTest(),
    });
    this.duplicates = new DuplicateFilter(settings.allowedLatenessMs + 2 * ROLLUP_RESOLUTIONS['1m']);
    sink.health.onChange(
      () => this.pauseAll('ClickHouse is down'),
      () => this.resumeAll(),
    );
  }

  onApplicationBootstrap(): void {
    void this.start().catch((error: Error) => {
      if (!this.stop.signal.aborted) this.logger.error({ err: error.message }, 'metrics consumer failed to start');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    for (const timer of this.timers) clearInterval(timer);
    await this.commit().catch(() => undefined);
    await this.handle?.stop();
  }

  check(key = 'consumer') {
    const indicator = this.indicators.check(key);
    const details = {
      partitions: [...this.progress.keys()].sort((a, b) => a - b),
      paused: this.stats.paused,
      clickhouse: this.sink.health.state,
      kafkaOutput: this.output.health.state,
      restarts: this.handle?.restarts ?? 0,
      eventsConsumed: this.stats.eventsConsumed,
    };
    if (!this.handle) return indicator.down({ message: 'not consuming yet', ...details });
    return this.handle.running ? indicator.up(details) : indicator.down({ message: 'the metrics consumer stopped on an error and is being restarted', ...details });
  }

  private async start(): Promise<void> {
    await this.schema.ready;
    const settings = this.config.processor;
    const { replicationFactor } = this.config.agent.metricsTopic;
    const topics = this.output.topics;
    this.handle = await consumeTopics({
      clients: this.clients,
      topics: [metricsTopicSpec(this.config, topics.metrics)],
      alsoCreate: [
        metricsTopicSpec(this.config, topics.rollups),
        // Dead letters are kept a week: long enough for someone to look at them.
        { topic: topics.metricsDeadLetter, partitions: 1, replicationFactor, retentionMs: 7 * 24 * 3600 * 1000 },
      ],
      consumer: {
        groupId: settings.consumerGroup,
        sessionTimeout: settings.sessionTimeoutMs,
        heartbeatInterval: 3000,
        maxBytesPerPartition: 1024 * 1024,
        retry: { retries: Infinity, initialRetryTime: 500, maxRetryTime: 15000 },
      },
      fromBeginning: true,
      run: {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitionsConcurrency,
        eachBatch: (payload) => this.handleBatch(payload),
      },
      signal: this.stop.signal,
      onRetry: (step, error, attempt) => this.logger.warn({ attempt, err: error.message }, `cannot ${step} for the metrics topic yet; retrying`),
      onCrash: (error, restartInMs) => this.logger.error({ err: error.message, restartInMs }, 'the metrics consumer stopped on an error; starting a new one'),
      onConsumer: (consumer) => {
        // A new consumer is not paused, whatever the last one was; its first assignment pauses it again if ClickHouse is down.
        this.consumer = consumer;
        this.stats.paused = false;
        consumer.on(consumer.events.GROUP_JOIN, (event) => this.rebalanced(event.payload.memberAssignment[this.topic] ?? []));
      },
    });
    if (!this.handle) return;
    this.timers = [
      setInterval(() => void this.commit(), settings.commitIntervalMs),
      setInterval(() => this.flushIdlePartitions(), IDLE_CHECK_MS),
    ];
    this.logger.info({ topic: this.topic, group: settings.consumerGroup }, 'consuming metric events');
  }

  /**
   * After a rebalance kafkajs fetches every assigned partition from its last committed offset, so
   * everything processed but not committed will come again: forget it all, or windows would count
   * those samples twice.
   */
  private rebalanced(partitions: number[]): void {
    this.generation++;
    this.windows.dropAll();
    this.duplicates.dropAll();
    this.pending.clear();
    this.progress.clear();
    for (const partition of partitions) this.progress.set(partition, { lastMessageAt: Date.now(), busy: false, caughtUp: false });
    this.stats.rebalances++;
    this.stats.partitionsAssigned = partitions.length;
    this.logger.info({ partitions, generation: this.generation }, 'partitions assigned');
    if (!this.sink.health.state.up) this.pauseAll('ClickHouse is down');
  }

  /**
   * One kafkajs batch, in steps of at most MAX_ROWS_PER_STEP samples: a fetch of 1 MB of gzip can
   * hold hundreds of thousands of samples, and memory must follow the step, not the fetch.
   */
  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const generation = this.generation;
    const partition = batch.partition;
    const progress = this.progress.get(partition) ?? { lastMessageAt: Date.now(), busy: false, caughtUp: false };
    this.progress.set(partition, progress);
    progress.busy = true;
    progress.lastMessageAt = Date.now();
    try {
      let step = newStep();
      for (const message of batch.messages) {
        const decoded = decodeMetricEvent(message.value, Date.now(), this.config.processor.maxFutureSkewMs);
        if (!decoded.ok) {
          step.letters.push({ key: message.key, value: message.value, reason: decoded.reason, partition, offset: message.offset });
        } else {
          const event = decoded.batch;
          const series = event.samples.map((sample) => this.identities.of(event.cluster, sample.metric, sample.labels));
          const source = sourceColumns(event);
          event.samples.forEach((sample, i) => step.rows.push(rawLine(event, series[i], sample.value, source)));
          step.accepted.push({ message, event, series });
        }
        step.firstOffset ??= message.offset;
        step.lastOffset = message.offset;
        step.messages++;
        if (step.rows.length >= MAX_ROWS_PER_STEP) {
          if (!(await this.processStep(payload, step, generation))) return;
          step = newStep();
        }
      }
      if (step.messages > 0 && !(await this.processStep(payload, step, generation))) return;
      // Behind the partition's end, it is not idle even when its turn to be fetched has not come.
      progress.caughtUp = progress.nextOffset !== undefined && progress.nextOffset >= Number(batch.highWatermark);
      await payload.heartbeat().catch(() => undefined);
    } finally {
      progress.busy = false;
    }
  }

  /**
   * A step of a batch: its raw rows (and dead letters) and the windows it closes are written in the
   * background, at most MAX_WRITES_IN_FLIGHT at once, while the next step is decoded — the
   * processor would otherwise spend most of its time waiting for ClickHouse. Each write holds the
   * commit back at the earliest offset it covers until it is stored.
   */
  private async processStep(payload: EachBatchPayload, step: Step, generation: number): Promise<boolean> {
    const partition = payload.batch.partition;
    const { rows, letters, accepted } = step;
    while (this.inFlight.size >= MAX_WRITES_IN_FLIGHT) {
      if (!(await this.waitFor(Promise.race(this.inFlight), payload, generation))) return false;
    }
    if (generation !== this.generation || payload.isStale()) return false;

    // 1. Raw rows and dead letters.
    const hold = this.pending.add(partition, Number(step.firstOffset));
    const stored = Promise.all([this.sink.writeRaw(rows), letters.length > 0 ? this.output.deadLetter(letters) : undefined]).then(() => {
      this.stats.samplesStored += rows.length;
      this.stats.eventsDeadLettered += letters.length;
      for (const letter of letters) {
        this.logger.warn({ partition, offset: letter.offset, reason: letter.reason }, 'undecodable metric event sent to the dead-letter topic');
      }
    });
    this.track(stored.finally(() => this.pending.done(partition, hold)));

    // 2. Samples into windows, then the step counts as processed (synchronous: nothing can interleave).
    let late = 0;
    let latest = -Infinity;
    for (const { message, event, series } of accepted) {
      if (!this.duplicates.firstSighting(partition, message.value as Buffer, event.timestamp)) {
        this.stats.eventsDuplicate++;
        continue;
      }
      const offset = Number(message.offset);
      event.samples.forEach((sample, i) => {
        if (this.windows.add(partition, offset, series[i], event.timestamp, sample.value) > 0) late++;
      });
      this.windows.observe(partition, event.timestamp);
      if (event.timestamp > latest) latest = event.timestamp;
    }
    this.stats.eventsConsumed += step.messages;
    this.stats.samplesLate += late;
    const progress = this.progress.get(partition);
    if (progress) progress.nextOffset = Number(step.lastOffset) + 1;
    payload.resolveOffset(step.lastOffset!);

    // 3. Windows the watermark passed.
    if (latest > -Infinity) this.duplicates.expire(partition, latest);
    this.track(this.storeWindows(partition, this.windows.closeDue(partition)));
    return true;
  }

  /** Keeps a background write in the in-flight set until it settles; a failure (only on shutdown) is logged. */
  private track(work: Promise<unknown>): void {
    const tracked: Promise<unknown> = work
      .catch((error: Error) => {
        if (!this.stop.signal.aborted) this.logger.error({ err: error.message }, 'a background write failed');
      })
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Writes closed windows to ClickHouse and the rollup topic, holding the commit back meanwhile. */
  private async storeWindows(partition: number, closed: ClosedWindow[]): Promise<void> {
    if (closed.length === 0) return;
    let firstOffset = Infinity;
    for (const window of closed) if (window.firstOffset < firstOffset) firstOffset = window.firstOffset;
    const hold = this.pending.add(partition, firstOffset);
    try {
      await Promise.all([this.sink.writeWindows(closed), this.output.publishWindows(closed)]);
      for (const window of closed) this.stats.windowsWritten[window.resolution]++;
    } finally {
      this.pending.done(partition, hold);
    }
  }

  /**
   * Waits for a downstream write, heartbeating so a long ClickHouse outage does not cost the group
   * membership. Returns false when a rebalance or shutdown makes the batch obsolete.
   */
  private async waitFor(work: Promise<unknown>, payload: EachBatchPayload, generation: number): Promise<boolean> {
    let settled = false;
    let failure: unknown;
    void work.then(
      () => (settled = true),
      (error) => {
        settled = true;
        failure = error;
      },
    );
    while (!settled) {
      await Promise.race([work.catch(() => undefined), sleep(WAIT_TICK_MS)]);
      if (settled) break;
      if (!payload.isRunning() || payload.isStale() || generation !== this.generation) return false;
      await payload.heartbeat().catch(() => undefined);
    }
    if (failure) {
      if (this.stop.signal.aborted) return false;
      throw failure;
    }
    return generation === this.generation && !payload.isStale();
  }

  /** Commits, per partition, the furthest offset nothing still needs. */
  private async commit(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer || !this.handle?.running) return;
    const offsets: Array<{ topic: string; partition: number; offset: string }> = [];
    let uncommitted = 0;
    for (const [partition, progress] of this.progress) {
      const offset = committableOffset(progress.nextOffset, this.windows.lowestOpenOffset(partition), this.pending.lowest(partition));
      if (progress.nextOffset !== undefined) uncommitted += progress.nextOffset - (offset ?? progress.nextOffset);
      if (offset === undefined || offset === progress.committed) continue;
      offsets.push({ topic: this.topic, partition, offset: String(offset) });
    }
    this.stats.openWindows = this.windows.openWindows;
    this.stats.uncommittedMessages = uncommitted;
    if (offsets.length === 0) return;
    const generation = this.generation;
    try {
      await consumer.commitOffsets(offsets);
      this.stats.commits++;
      if (generation !== this.generation) return;
      for (const { partition, offset } of offsets) {
        const progress = this.progress.get(partition);
        if (progress) progress.committed = Number(offset);
      }
    } catch (error) {
      // A rebalance in progress refuses commits; the next owner replays from the last good one.
      this.logger.debug({ err: (error as Error).message }, 'offset commit refused');
    }
  }

  /** Partitions that received nothing for a while have their windows closed and stored. */
  private flushIdlePartitions(): void {
    if (this.stats.paused) return;
    const idleBefore = Date.now() - this.config.processor.idleFlushMs;
    for (const [partition, progress] of this.progress) {
      if (progress.busy || !progress.caughtUp || progress.lastMessageAt > idleBefore || !this.windows.hasOpenWindows(partition)) continue;
      const closed = this.windows.closeAll(partition);
      this.logger.debug({ partition, windows: closed.length }, 'partition idle: closing its windows');
      this.track(this.storeWindows(partition, closed));
    }
  }

  private pauseAll(reason: string): void {
    if (!this.consumer || this.stats.paused) return;
    this.consumer.pause([{ topic: this.topic }]);
    this.stats.paused = true;
    this.logger.warn({ reason }, 'consumer paused');
  }

  private resumeAll(): void {
    if (!this.consumer || !this.stats.paused) return;
    this.consumer.resume([{ topic: this.topic }]);
    this.stats.paused = false;
    // Messages piled up while paused: no partition counts as caught up (or idle) until a batch says so.
    for (const progress of this.progress.values()) {
      progress.lastMessageAt = Date.now();
      progress.caughtUp = false;
    }
    this.logger.info('consumer resumed');
  }
}

/** Counters get a delta and a rate per window: catalogued counters, and uncatalogued `*_total` metrics. */
function counterTest(): (metric: string) => boolean {
  const catalogue = metricCatalogue();
  return (metric) => {
    const definition = catalogue.get(metric);
    return definition ? definition.type === 'counter' : metric.endsWith('_total');
  };
}
