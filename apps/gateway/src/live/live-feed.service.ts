import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EachBatchPayload } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { alertEventSchema, anomalyEventSchema, metricBatchSchema, rollupBatchSchema, topicNames } from '@doflamingo/contracts';
import { alertsTopicSpec, consumeTopics, ConsumerHandle, KafkaClients, metricsTopicSpec } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { SubscriptionHub } from '../websocket/subscription-hub';
import { LatestValues, RecentAlerts, RecentAnomalies } from './latest-values.store';

/**
 * Reads the metrics, rollup, alerts and anomalies topics from their ends, each gateway instance with a
 * consumer group of its own (every instance must see every event), and feeds the live store and
 * the subscription hub. An event that breaks its contract is skipped (the processor dead-letters
 * metric events; here one warning per minute says how many were skipped). When kafkajs gives up on the
 * consumer, consumeTopics starts a new one; /health is down meanwhile and counts the `restarts`.
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ConsumerHandle;
  private startup = 'not consuming yet';
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
    void this.start().catch((error: Error) => {
      this.startup = `failed to start: ${error.message}`;
      this.logger.error({ err: error.message }, 'live feed failed to start');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.expiry);
    this.stop.abort();
    await this.consumer?.stop().catch(() => undefined);
  }

  check(key = 'liveFeed') {
    const indicator = this.indicators.check(key);
    const details = { series: this.latest.size, sessions: this.hub.sessions.size, eventsReceived: this.eventsReceived, restarts: this.consumer?.restarts ?? 0 };
    if (!this.consumer) return indicator.down({ message: this.startup, ...details });
    return this.consumer.running ? indicator.up(details) : indicator.down({ message: 'the live feed consumer stopped on an error and is being restarted', ...details });
  }

  private async start(): Promise<void> {
    const topics = topicNames(this.config.topicPrefix);
    // The alerts topic has its own shape (the alerter reads it back at start); the others follow the metrics topic.
    const live = [metricsTopicSpec(this.config), metricsTopicSpec(this.config, topics.rollups), alertsTopicSpec(this.config), metricsTopicSpec(this.config, topics.anomalies)];
    this.consumer = await consumeTopics({
      clients: this.clients,
      topics: live,
      consumer: {
        groupId: `${this.config.topicPrefix}-gateway-${this.config.instanceId}`,
        sessionTimeout: 30000,
        retry: { retries: Infinity, initialRetryTime: 500, maxRetryTime: 15000 },
        allowAutoTopicCreation: false,
      },
      fromBeginning: false,
      // No offset commits: a live feed starts at the end anyway. A commit waits for every in-sync
      // replica of __consumer_offsets, so right after a broker dies it timed out and kafkajs stopped
      // fetching for about 10 s: the dashboard showed the dead broker late.
      run: { autoCommit: false, partitionsConsumedConcurrently: 3, eachBatch: async (payload) => this.handle(payload, topics) },
      signal: this.stop.signal,
      onRetry: (step, error, attempt) => {
        this.startup = `not consuming yet: cannot ${step}: ${error.message}`;
        this.logger.warn({ attempt, err: error.message }, `cannot ${step} for the live feed yet; retrying`);
      },
      onCrash: (error, restartInMs) => this.logger.error({ err: error.message, restartInMs }, 'the live feed consumer stopped on an error; starting a new one'),
    });
    if (this.consumer) this.logger.info({ topics: live.map((spec) => spec.topic) }, 'live feed consuming');
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

  private skipped(topic: string, reason: string): void {
    const admitted = this.throttle.admit(topic);
    if (admitted) this.logger.warn({ topic, reason, skippedSinceLastLog: admitted.suppressed + 1 }, 'skipping events that break their contract');
  }
}

