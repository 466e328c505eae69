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
import { SendLanes } from './send-lanes';

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

/** One partition's queue and the state of its sender. */
interface Lane {
  index: number;
  buffer: BoundedBuffer;
  sending: boolean;
  lastAttemptFailed: boolean;
  wake?: () => void;
}

/**
 * Publishes metric batches to the metrics topic. Collection never waits for Kafka: batches go into
 * bounded per-partition lanes (see SendLanes), each drained by its own sender that retries with
 * backoff while its partition cannot be written.
 */
@Injectable()
export class MetricPublisher implements OnApplicationShutdown {
  readonly topic: string;
  private readonly buffer: SendLanes;
  private readonly lanes: Lane[];
  private readonly throttle = new LogThrottle(60000);
  private connected?: Promise<Producer>;
  private admin?: Admin;
  private producer?: Producer;
  private closed = false;
  publishErrors = 0;
  published = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: KafkaClients,
    @InjectPinoLogger(MetricPublisher.name) private readonly logger: PinoLogger,
  ) {
    this.topic = topicNames(config.topicPrefix).metrics;
    // One lane per partition the agent creates the topic with. Were it created with another count,
    // a lane would mix partitions: still correct and in order per key, only less isolated.
    this.buffer = new SendLanes(config.agent.metricsTopic.partitions, config.agent.bufferMaxBytes);
    this.lanes = this.buffer.lanes.map((buffer, index) => ({ index, buffer, sending: false, lastAttemptFailed: false }));
  }

  /** For /health: whether the last attempt to publish succeeded, and the state of the buffer. */
  state() {
    return {
      publishing: this.lanes.some((lane) => lane.lastAttemptFailed) ? ('failing' as const) : ('ok' as const),
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
        this.kick(this.lanes[this.buffer.push({ key: `${cluster}/${collector}/${scope}`, value: Buffer.from(JSON.stringify(event)) })]);
      }
    }
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
    for (const lane of this.lanes) lane.wake?.();
  }

  private kick(lane: Lane): void {
    if (lane.sending || this.closed) return;
    lane.sending = true;
    void this.drain(lane).finally(() => (lane.sending = false));
  }

  private async drain(lane: Lane): Promise<void> {
    let failures = 0;
    while (lane.buffer.length > 0 && !this.closed) {
      const batch = lane.buffer.peek(SEND_MAX_MESSAGES, SEND_MAX_BYTES);
      try {
        await withTimeout(this.send(batch), SEND_TIMEOUT_MS, 'publishing to the metrics topic');
        lane.buffer.remove(batch);
        this.published += batch.length;
        lane.lastAttemptFailed = false;
        if (failures > 0) this.logger.info({ lane: lane.index, failures }, 'metrics topic reachable again; publishing resumed');
        failures = 0;
        if (!this.lanes.some((other) => other.lastAttemptFailed)) this.throttle.clear('publish');
      } catch (error) {
        this.publishErrors++;
        lane.lastAttemptFailed = true;
        failures++;
        const admitted = this.throttle.admit('publish');
        if (admitted) {
          const failing = this.lanes.filter((other) => other.lastAttemptFailed).map((other) => other.index);
          this.logger.warn(
            { err: (error as Error).message, failingLanes: failing, buffered: this.buffer.length, bufferedBytes: this.buffer.bytes, dropped: this.buffer.dropped, suppressed: admitted.suppressed },
            'publishing to the metrics topic failed; retrying with backoff',
          );
        }
        await new Promise<void>((resolve) => {
          lane.wake = resolve;
          setTimeout(resolve, backoffDelay(failures - 1, 200, 10000));
        });
      }
    }
  }

  private async send(messages: PendingMessage[]): Promise<void> {
    // The lanes share one producer; the first to need it connects it, and a failed connect is retried by the next send.
    this.connected ??= this.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    const producer = await this.connected;
    // gzip: metric JSON shrinks about tenfold, and kafkajs has it built in (no native codec).
    await producer.send({ topic: this.topic, acks: -1, compression: CompressionTypes.GZIP, messages });
  }

  private async connect(): Promise<Producer> {
    // Made once and reconnected on each attempt: every client made is kept until shutdown.
    const admin = (this.admin ??= this.clients.admin({ retry: { retries: 2 } }));
    await admin.connect();
    try {
      await ensureMetricsTopic(admin, this.topic, this.config.agent.metricsTopic);
    } finally {
      await admin.disconnect();
    }
    const producer = (this.producer ??= this.clients.producer({ retry: { retries: 2 } }));
    await producer.connect();
    return producer;
  }
}
