import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, IHeaders, Message, Producer } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { DEAD_LETTER_HEADERS, MetricBatch, ROLLUP_EVENT_SCHEMA_VERSION, RollupBatch, RollupEvent, topicNames, TopicNames } from '@doflamingo/contracts';
import { KafkaClients } from '@doflamingo/kafka';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { retry } from '@doflamingo/runtime';
import { SinkHealth } from '../storage/sink-health';
import { ClosedWindow } from '../windows/event-time-windows';

export interface DeadLetter {
  key: Buffer | null;
  value: Buffer | null;
  reason: string;
  partition: number;
  offset: string;
}

/** Messages per send at most: keeps each request under the broker's 1 MB limit (gzip, ~100 KB of JSON per rollup message). */
const MAX_MESSAGES_PER_SEND = 50;
const MAX_WINDOWS_PER_MESSAGE = 500;

/**
 * What the processor writes to Kafka: closed windows on the rollup topic, undecodable events on the
 * dead-letter topic, and its own metrics on the metrics topic. Every send is retried with backoff
 * until it succeeds (or the app stops), so callers can count on it once it resolves.
 */
@Injectable()
export class ProcessorOutput implements OnApplicationShutdown {
  readonly health: SinkHealth;
  readonly topics: TopicNames;
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private readonly stop = new AbortController();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    clients: KafkaClients,
    @InjectPinoLogger(ProcessorOutput.name) logger: PinoLogger,
  ) {
    this.health = new SinkHealth('Kafka (processor output)', logger);
    this.topics = topicNames(config.topicPrefix);
    this.producer = clients.producer({ idempotent: false, retry: { retries: 2 } });
  }

  /** Windows grouped by cluster and metric, up to MAX_WINDOWS_PER_MESSAGE per message (one per window would cost more than everything else the processor does). */
  publishWindows(windows: ClosedWindow[]): Promise<void> {
    const byMetric = new Map<string, RollupEvent[]>();
    for (const window of windows) {
      const key = `${window.series.cluster}/${window.series.metric}`;
      let group = byMetric.get(key);
      if (!group) byMetric.set(key, (group = []));
      group.push(rollupEvent(window));
    }
    const messages: Message[] = [];
    for (const [key, group] of byMetric) {
      for (let i = 0; i < group.length; i += MAX_WINDOWS_PER_MESSAGE) {
        const batch: RollupBatch = { schemaVersion: ROLLUP_EVENT_SCHEMA_VERSION, windows: group.slice(i, i + MAX_WINDOWS_PER_MESSAGE) };
        messages.push({ key, value: JSON.stringify(batch) });
      }
    }
    return this.send(this.topics.rollups, messages);
  }

  deadLetter(letters: DeadLetter[]): Promise<void> {
    const failedAt = new Date().toISOString();
    return this.send(
      this.topics.metricsDeadLetter,
      letters.map((letter) => {
        const headers: IHeaders = {
          [DEAD_LETTER_HEADERS.reason]: letter.reason,
          [DEAD_LETTER_HEADERS.sourceTopic]: this.topics.metrics,
          [DEAD_LETTER_HEADERS.sourcePartition]: String(letter.partition),
          [DEAD_LETTER_HEADERS.sourceOffset]: letter.offset,
          [DEAD_LETTER_HEADERS.failedAt]: failedAt,
        };
        return { key: letter.key, value: letter.value, headers };
      }),
    );
  }

  publishOwnMetrics(batch: MetricBatch, key: string): Promise<void> {
    return this.send(this.topics.metrics, [{ key, value: JSON.stringify(batch) }]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
  }

  private async send(topic: string, messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_SEND) {
      const chunk = messages.slice(start, start + MAX_MESSAGES_PER_SEND);
      await retry(
        async () => {
          this.connected ??= this.producer.connect().catch((error: Error) => {
            this.connected = undefined;
            throw error;
          });
          await this.connected;
          await this.producer.send({ topic, messages: chunk, acks: -1, compression: CompressionTypes.GZIP, timeout: 15000 });
        },
        {
          retries: Infinity,
          initialDelayMs: 250,
          maxDelayMs: 10000,
          signal: this.stop.signal,
          onRetry: (error, attempt) => this.health.failed(error, { topic, messages: chunk.length, attempt }),
        },
      );
      this.health.succeeded();
    }
  }
}

function rollupEvent(window: ClosedWindow): RollupEvent {
  const { series, summary } = window;
  return {
    cluster: series.cluster,
    metric: series.metric,
    labels: series.labels,
    seriesId: series.id,
    resolution: window.resolution,
    windowStart: window.windowStart,
    windowEnd: window.windowEnd,
    ...summary,
  };
}
