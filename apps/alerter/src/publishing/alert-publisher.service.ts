import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { AlertEvent, topicNames } from '@doflamingo/contracts';
import { alertsTopicSpec, KafkaClients, partitionOfKey } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { retry, sleep } from '@doflamingo/runtime';

const MAX_EVENTS_PER_SEND = 100;

/**
 * Sends alert events to the alerts topic (key: alert id, so one alert's events stay in order on
 * one partition), in the order they happened. Each partition has its own queue and sender: a
 * partition whose leader hangs (the very broker an alert may be about) holds back only its own
 * alerts. While Kafka is away the events wait in memory and sending is retried with backoff;
 * nothing is dropped. Idempotent producer: a retried send is not written twice.
 */
@Injectable()
export class AlertPublisher implements OnApplicationShutdown {
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private readonly topic: string;
  private readonly queues: AlertEvent[][];
  private readonly draining: Array<Promise<void> | undefined>;
  private readonly stop = new AbortController();
  private readonly throttle = new LogThrottle(60000);
  published = 0;
  failures = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    clients: KafkaClients,
    @InjectPinoLogger(AlertPublisher.name) private readonly logger: PinoLogger,
  ) {
    this.topic = topicNames(config.topicPrefix).alerts;
    const { partitions } = alertsTopicSpec(config);
    this.queues = Array.from({ length: partitions }, () => []);
    this.draining = Array.from({ length: partitions }, () => undefined);
    this.producer = clients.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 3 } });
  }

  get backlog(): number {
    return this.queues.reduce((sum, queue) => sum + queue.length, 0);
  }

  publish(events: AlertEvent[]): void {
    for (const event of events) {
      const partition = partitionOfKey(event.id, this.queues.length);
      this.queues[partition].push(event);
      this.draining[partition] ??= this.drain(partition).finally(() => (this.draining[partition] = undefined));
    }
  }

  /** Resolves once everything queued so far is in Kafka. */
  async flushed(): Promise<void> {
    while (this.draining.some(Boolean)) await Promise.all(this.draining);
  }

  async onApplicationShutdown(): Promise<void> {
    // Give queued events a moment to go out before the producer is disconnected.
    await Promise.race([this.flushed(), sleep(5000)]);
    this.stop.abort();
  }

  private async drain(partition: number): Promise<void> {
    this.connected ??= retry(() => this.producer.connect(), this.retryOptions('connect'));
    await this.connected;
    const queue = this.queues[partition];
    while (queue.length > 0 && !this.stop.signal.aborted) {
      const events = queue.slice(0, MAX_EVENTS_PER_SEND);
      await retry(
        () => this.producer.send({ topic: this.topic, acks: -1, messages: events.map((event) => ({ key: event.id, value: JSON.stringify(event) })) }),
        this.retryOptions('send'),
      );
      queue.splice(0, events.length);
      this.published += events.length;
    }
  }

  private retryOptions(step: string) {
    return {
      retries: Infinity,
      initialDelayMs: 250,
      maxDelayMs: 10000,
      signal: this.stop.signal,
      onRetry: (error: Error, attempt: number) => {
        this.failures++;
        const admitted = this.throttle.admit(step);
        if (admitted) this.logger.warn({ topic: this.topic, attempt, waiting: this.backlog, err: error.message, suppressed: admitted.suppressed }, `cannot ${step} to the alerts topic; alerts wait in memory and are retried`);
      },
    };
  }
}
