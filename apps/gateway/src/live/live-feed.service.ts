import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Consumer, EachBatchPayload } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { alertEventSchema, anomalyEventSchema, metricBatchSchema, rollupBatchSchema, topicNames } from '@doflamingo/contracts';
import { alertsTopicSpec, ensureTopic, KafkaClients, metricsTopicSpec } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { retry } from '@doflamingo/runtime';
import { SubscriptionHub } from '../websocket/subscription-hub';
import { LatestValues, RecentAlerts, RecentAnomalies } from './latest-values.store';

/**
 * Reads the metrics, rollup, alerts and anomalies topics from their ends, each gateway instance with a
 * consumer group of its own (every instance must see every event), and feeds the live store and
 * the subscription hub. An event that breaks its contract is skipped (the processor dead-letters
 * metric events; here one warning per minute says how many were skipped).
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: Consumer;
  private running = false;
  private expiry?: NodeJS.Timeout;
  private readonly throttle = new LogThrottle(60000);
  private readonly stop = new AbortController();
  eventsReceived = 0;
  lastEventAt?: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: KafkaClients,
    private readonly latest: LatestValues,
    private readonly alerts: RecentAlerts,
    private readonly anomalies: RecentAnomalies,
    private readonly hub: SubscriptionHub,
    private readonly indicators: HealthIndicatorService,
    @InjectPinoLogger(LiveFeed.name) private readonly logger: PinoLogger,
  ) {
    latest.ttlMs = config.gateway.seriesTtlMs;
  }

  onApplicationBootstrap(): void {
    this.expiry = setInterval(() => this.hub.forgetSeries(this.latest.expire()), 60000);
    void this.start().catch((error: Error) => this.logger.error({ err: error.message }, 'live feed failed to start'));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.expiry);
    this.stop.abort();
    await this.consumer?.stop().catch(() => undefined);
  }

  check(key = 'liveFeed') {
    const indicator = this.indicators.check(key);
    const details = { series: this.latest.size, sessions: this.hub.sessions.size, eventsReceived: this.eventsReceived };
    return this.running ? indicator.up(details) : indicator.down({ message: 'not consuming yet', ...details });
  }

  private async start(): Promise<void> {
    const topics = topicNames(this.config.topicPrefix);
    const live = [topics.metrics, topics.rollups, topics.alerts, topics.anomalies];
    // Create what is missing (the processor, alerter and anomaly detector create theirs too): kafkajs subscribes to existing topics only.
    await retry(() => this.ensureTopics(live), {
      retries: Infinity,
      initialDelayMs: 500,
      maxDelayMs: 15000,
      signal: this.stop.signal,
      onRetry: (error, attempt) => this.logger.warn({ attempt, err: error.message }, 'cannot reach Kafka to set up the live feed yet; retrying'),
    });
    if (this.stop.signal.aborted) return;
    const consumer = this.clients.consumer({
      groupId: `${this.config.topicPrefix}-gateway-${this.config.instanceId}`,
      sessionTimeout: 30000,
      retry: { retries: Infinity, initialRetryTime: 500, maxRetryTime: 15000 },
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    // Right after a topic is created some brokers may not know it yet ("does not host this topic-partition"): retry.
    await retry(() => consumer.subscribe({ topics: live, fromBeginning: false }), {
      retries: Infinity,
      initialDelayMs: 250,
      maxDelayMs: 5000,
      signal: this.stop.signal,
      onRetry: (error, attempt) => this.logger.warn({ attempt, err: error.message }, 'cannot subscribe to the live topics yet; retrying'),
    });
    if (this.stop.signal.aborted) return;
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: async (payload) => this.handle(payload, topics),
    });
    this.running = true;
    this.logger.info({ topics: live }, 'live feed consuming');
  }

  private async handle({ batch }: EachBatchPayload, topics: ReturnType<typeof topicNames>): Promise<void> {
    for (const message of batch.messages) {
      if (!message.value) continue;
      this.eventsReceived++;
      this.lastEventAt = Date.now();
      let json: unknown;
      try {
        json = JSON.parse(message.value.toString());
      } catch {
        this.skipped(batch.topic, 'not JSON');
        continue;
      }
      if (batch.topic === topics.metrics) {
        const parsed = metricBatchSchema.safeParse(json);
        if (parsed.success) this.hub.publishSamples(this.latest.apply(parsed.data));
        else this.skipped(batch.topic, parsed.error.issues[0].message);
      } else if (batch.topic === topics.rollups) {
        const parsed = rollupBatchSchema.safeParse(json);
        if (parsed.success) this.hub.publishRollups(parsed.data.windows);
        else this.skipped(batch.topic, parsed.error.issues[0].message);
      } else if (batch.topic === topics.anomalies) {
        const parsed = anomalyEventSchema.safeParse(json);
        if (parsed.success) {
          this.anomalies.apply(parsed.data);
          this.hub.publishAnomaly(parsed.data);
        } else this.skipped(batch.topic, parsed.error.issues[0].message);
      } else {
        const parsed = alertEventSchema.safeParse(json);
        if (parsed.success) {
          this.alerts.apply(parsed.data);
          this.hub.publishAlert(parsed.data);
        } else this.skipped(batch.topic, parsed.error.issues[0].message);
      }
    }
  }

  private async ensureTopics(names: string[]): Promise<void> {
    const admin = this.clients.admin({ retry: { retries: 1 } });
    await admin.connect();
    try {
      // The alerts topic has its own shape (the alerter reads it back at start); the others follow the metrics topic.
      const alerts = alertsTopicSpec(this.config);
      for (const topic of names) await ensureTopic(admin, topic === alerts.topic ? alerts : metricsTopicSpec(this.config, topic));
    } finally {
      await admin.disconnect();
    }
  }

  private skipped(topic: string, reason: string): void {
    const admitted = this.throttle.admit(topic);
    if (admitted) this.logger.warn({ topic, reason, skippedSinceLastLog: admitted.suppressed + 1 }, 'skipping events that break their contract');
  }
}

