import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { AnomalyEvent, topicNames } from '@doflamingo/contracts';
import { KafkaClients } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { retry } from '@doflamingo/runtime';

/** The key of an anomaly event: all anomalies of one metric of one cluster stay in order on one partition. */
export const anomalyKey = (event: Pick<AnomalyEvent, 'cluster' | 'metric'>): string => `${event.cluster}/${event.metric}`;

/**
 * Publishes anomaly events on `<prefix>.anomalies` (acks from all in-sync replicas). A failed send
 * is retried with backoff until it succeeds or the app stops, so the consumer can commit the
 * offsets of a batch once `publish` resolved: no anomaly is lost between the two.
 */
@Injectable()
export class AnomalyPublisher implements OnApplicationShutdown {
  readonly topic: string;
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private readonly stop = new AbortController();
  private readonly throttle = new LogThrottle(60000);
  published = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    clients: KafkaClients,
    @InjectPinoLogger(AnomalyPublisher.name) private readonly logger: PinoLogger,
  ) {
    this.topic = topicNames(config.topicPrefix).anomalies;
    this.producer = clients.producer({ retry: { retries: 2 } });
  }

  async publish(events: AnomalyEvent[], signal?: AbortSignal): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map((event) => ({ key: anomalyKey(event), value: JSON.stringify(event) }));
    await retry(
      async () => {
        this.connected ??= this.producer.connect().catch((error: Error) => {
          this.connected = undefined;
          throw error;
        });
        await this.connected;
        await this.producer.send({ topic: this.topic, acks: -1, messages });
      },
      {
        retries: Infinity,
        initialDelayMs: 250,
        maxDelayMs: 15000,
        signal: AbortSignal.any([this.stop.signal, ...(signal ? [signal] : [])]),
        onRetry: (error, attempt, delayMs) => {
          const admitted = this.throttle.admit('send');
          if (admitted) this.logger.warn({ attempt, delayMs, err: error.message, failedSinceLastLog: admitted.suppressed + 1 }, 'cannot publish anomalies yet; retrying');
        },
      },
    );
    this.throttle.clear('send');
    this.published += events.length;
    for (const event of events) {
      this.logger.info({ cluster: event.cluster, metric: event.metric, labels: event.labels, value: event.value, score: Math.round(event.score * 10) / 10, direction: event.direction }, 'anomaly');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }
}
