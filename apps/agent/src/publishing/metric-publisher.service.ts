import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Admin, CompressionTypes, Producer } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { METRIC_EVENT_SCHEMA_VERSION, MetricBatch, metricBatchSchema, topicNames } from '@doflamingo/contracts';
import { KafkaClients } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { backoffDelay, sleep, withTimeout } from '@doflamingo/runtime';
import { CollectedBatch } from '../collection/collector';
import { BoundedBuffer, PendingMessage } from './bounded-buffer';
import { ensureMetricsTopic } from './metrics-topic';

/** Samples per Kafka message: keeps each message far below the broker's 1 MB default limit. */
export const MAX_SAMPLES_PER_MESSAGE = 2000;
const SEND_MAX_MESSAGES = 200;
/**
 * kafkajs puts all messages for one partition of a send into one record batch, and the broker
 * rejects batches over message.max.bytes (1 MB by default): a send must stay below that.
 */
const SEND_MAX_BYTES = 900 * 1024;
/** Connecting, creating the topic and sending together; past it the attempt counts as failed and is retried. */
const SEND_TIMEOUT_MS = 15000;

/**
 * Publishes metric batches to the metrics topic. Collection never waits for Kafka: batches go into
 * a bounded buffer and a single sender drains it, retrying with backoff while Kafka is away.
 */
@Injectable()
export class MetricPublisher implements OnApplicationShutdown {
  readonly topic: string;
  private readonly buffer: BoundedBuffer;
  private readonly throttle = new LogThrottle(60000);
  private producer?: Producer;
  private admin?: Admin;
  private sending = false;
  private closed = false;
  private wake?: () => void;
  publishErrors = 0;
  private lastAttemptFailed = false;
  published = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: KafkaClients,
    @InjectPinoLogger(MetricPublisher.name) private readonly logger: PinoLogger,
  ) {
    this.topic = topicNames(config.topicPrefix).metrics;
    this.buffer = new BoundedBuffer(config.agent.bufferMaxBytes);
  }

  /** For /health: whether the last attempt to publish succeeded, and the state of the buffer. */
  state() {
    return {
      publishing: this.lastAttemptFailed ? ('failing' as const) : ('ok' as const),
      buffered: this.buffer.length,
      bufferedBytes: this.buffer.bytes,
      dropped: this.buffer.dropped,
      publishErrors: this.publishErrors,
      published: this.published,
    };
  }

  get bufferedBytes(): number {
    return this.buffer.bytes;
  }

  get droppedBatches(): number {
    return this.buffer.dropped;
  }

  /** Validates and queues the batches of one collection; returns at once. */
  publish(cluster: string, collector: string, timestamp: number, batches: CollectedBatch[]): void {
    for (const { scope, samples } of batches) {
      for (let start = 0; start === 0 || start < samples.length; start += MAX_SAMPLES_PER_MESSAGE) {
        const event: MetricBatch = {
          schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
          cluster,
          source: { agentId: this.config.instanceId, collector },
          timestamp,
          samples: samples.slice(start, start + MAX_SAMPLES_PER_MESSAGE),
        };
        const checked = metricBatchSchema.safeParse(event);
        if (!checked.success) {
          // A collector bug: say exactly what is wrong, and keep the good batches flowing.
          const issue = checked.error.issues[0];
          this.logger.error({ collector, scope, path: issue.path.join('.'), reason: issue.message }, 'collector produced an invalid metric batch; not published');
          continue;
        }
        this.buffer.push({ key: `${cluster}/${collector}/${scope}`, value: Buffer.from(JSON.stringify(event)) });
      }
    }
    this.kick();
  }

  /** Resolves when everything queued so far is published (tests and shutdown). */
  async flushed(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length > 0 && Date.now() < deadline) await sleep(50);
    return this.buffer.length === 0;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushed(5000);
    this.closed = true;
    this.wake?.();
  }

  private kick(): void {
    if (this.sending || this.closed) return;
    this.sending = true;
    void this.drain().finally(() => (this.sending = false));
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (this.buffer.length > 0 && !this.closed) {
      const batch = this.buffer.peek(SEND_MAX_MESSAGES, SEND_MAX_BYTES);
      try {
        await withTimeout(this.send(batch), SEND_TIMEOUT_MS, 'publishing to the metrics topic');
        this.buffer.remove(batch);
        this.published += batch.length;
        this.lastAttemptFailed = false;
        if (failures > 0) this.logger.info({ failures }, 'metrics topic reachable again; publishing resumed');
        failures = 0;
        this.throttle.clear('publish');
      } catch (error) {
        this.publishErrors++;
        this.lastAttemptFailed = true;
        failures++;
        const admitted = this.throttle.admit('publish');
        if (admitted) {
          this.logger.warn({ err: (error as Error).message, buffered: this.buffer.length, bufferedBytes: this.buffer.bytes, dropped: this.buffer.dropped, suppressed: admitted.suppressed }, 'publishing to the metrics topic failed; retrying with backoff');
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, backoffDelay(failures - 1, 200, 10000));
        });
      }
    }
  }

  private async send(messages: PendingMessage[]): Promise<void> {
    if (!this.producer) {
      this.admin ??= this.clients.admin({ retry: { retries: 2 } });
      await this.admin.connect();
      await ensureMetricsTopic(this.admin, this.topic, this.config.agent.metricsTopic);
      await this.admin.disconnect();
      const producer = this.clients.producer({ retry: { retries: 2 } });
      await producer.connect();
      this.producer = producer;
    }
    // gzip: metric JSON shrinks about tenfold, and kafkajs has it built in (no native codec).
    await this.producer.send({ topic: this.topic, acks: -1, compression: CompressionTypes.GZIP, messages });
  }
}
