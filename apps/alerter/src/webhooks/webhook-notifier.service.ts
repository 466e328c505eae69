import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EachMessagePayload } from 'kafkajs';
import { AppConfig, APP_CONFIG, WebhookTarget } from '@doflamingo/config';
import { alertEventSchema } from '@doflamingo/contracts';
import { alertsTopicSpec, consumeTopics, ConsumerHandle, KafkaClients } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { backoffDelay, sleep } from '@doflamingo/runtime';
import { DeliveryOutcome, deliveryOutcome, idempotencyKey, notifies, webhookBody } from './webhook-payload';

/**
 * Short, so a restarted alerter gets its partitions back quickly (it holds no state a rebalance could
 * lose). A 30 s session, tried for the hung-broker case, kept a restarted alerter's webhooks waiting
 * for the killed member's session to expire, and failed the delivery tests in CI.
 */
const SESSION_TIMEOUT_MS = 10000;
const HEARTBEAT_EVERY_MS = 3000;

interface WebhookState {
  target: WebhookTarget;
  consumer?: ConsumerHandle;
  delivered: number;
  failedAttempts: number;
  dropped: number;
}

/**
 * Delivers alerts to webhooks. Each webhook reads the alerts topic with a consumer group of its own,
 * so a webhook that is down holds back only itself: its offset waits while the delivery is retried
 * with backoff, and the others carry on. An event is retried for ALERT_WEBHOOK_GIVE_UP_MS, then
 * dropped with an error log; the offset is committed only after delivery (or giving up).
 */
@Injectable()
export class WebhookNotifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly webhooks: WebhookState[];
  private readonly stop = new AbortController();
  private readonly throttle = new LogThrottle(60000);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: KafkaClients,
    private readonly indicators: HealthIndicatorService,
    @InjectPinoLogger(WebhookNotifier.name) private readonly logger: PinoLogger,
  ) {
    this.webhooks = config.alerter.webhooks.map((target) => ({ target, delivered: 0, failedAttempts: 0, dropped: 0 }));
  }

  onApplicationBootstrap(): void {
    for (const webhook of this.webhooks) {
      void this.start(webhook).catch((error: Error) => this.logger.error({ webhook: webhook.target.name, err: error.message }, 'webhook delivery failed to start'));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.allSettled(this.webhooks.map((webhook) => webhook.consumer?.stop()));
  }

  stats(): Array<{ name: string; delivered: number; failedAttempts: number; dropped: number }> {
    return this.webhooks.map((w) => ({ name: w.target.name, delivered: w.delivered, failedAttempts: w.failedAttempts, dropped: w.dropped }));
  }

  check(key = 'webhooks') {
    const indicator = this.indicators.check(key);
    const details = Object.fromEntries(this.webhooks.map((w) => [w.target.name, { running: w.consumer?.running ?? false, delivered: w.delivered, failedAttempts: w.failedAttempts, dropped: w.dropped }]));
    return this.webhooks.every((w) => w.consumer?.running) ? indicator.up(details) : indicator.down({ message: 'webhook delivery not running yet', ...details });
  }

  private async start(webhook: WebhookState): Promise<void> {
    webhook.consumer = await consumeTopics({
      clients: this.clients,
      topics: [alertsTopicSpec(this.config)],
      consumer: {
        groupId: `${this.config.alerter.consumerGroup}-webhook-${webhook.target.name}`,
        // Retries of one event may take minutes; the session is kept alive by heartbeats while waiting.
        sessionTimeout: SESSION_TIMEOUT_MS,
        allowAutoTopicCreation: false,
        retry: { retries: Infinity, initialRetryTime: 500, maxRetryTime: 15000 },
      },
      fromBeginning: false,
      // Commit after every delivery: a restart must not deliver again what a receiver already took.
      run: { autoCommitThreshold: 1, eachMessage: async (payload) => this.deliver(webhook, payload) },
      signal: this.stop.signal,
      onRetry: (step, error, attempt) => this.logger.warn({ webhook: webhook.target.name, attempt, err: error.message }, `cannot ${step} for webhook delivery yet; retrying`),
      onCrash: (error, restartInMs) => this.logger.error({ webhook: webhook.target.name, err: error.message, restartInMs }, 'webhook delivery stopped on an error; starting it again'),
    });
  }

  private async deliver(webhook: WebhookState, { message, heartbeat }: EachMessagePayload): Promise<void> {
    const parsed = alertEventSchema.safeParse(safeJson(message.value?.toString()));
    if (!parsed.success || !notifies(parsed.data)) return;
    const event = parsed.data;
    const { target } = webhook;
    const body = JSON.stringify(webhookBody(event, target.format));
    const giveUpAt = Date.now() + this.config.alerter.webhookGiveUpMs;
    for (let attempt = 0; !this.stop.signal.aborted; attempt++) {
      const outcome = await this.post(target, body, idempotencyKey(event));
      if (outcome.delivered) {
        webhook.delivered++;
        return;
      }
      webhook.failedAttempts++;
      const delayMs = backoffDelay(attempt, 500, 30000);
      if (!outcome.retry || Date.now() + delayMs > giveUpAt) {
        webhook.dropped++;
        const why = outcome.retry ? 'gave up delivering an alert to a webhook (ALERT_WEBHOOK_GIVE_UP_MS)' : 'a webhook refused an alert for good (HTTP 4xx): fix the receiver or its URL';
        this.logger.error({ webhook: target.name, alert: event.id, state: event.state, attempts: attempt + 1, err: outcome.error }, why);
        return;
      }
      const error = outcome.error;
      const admitted = this.throttle.admit(target.name);
      if (admitted) this.logger.warn({ webhook: target.name, alert: event.id, attempt: attempt + 1, retryInMs: delayMs, err: error, suppressed: admitted.suppressed }, 'webhook delivery failed; retrying');
      await this.wait(delayMs, heartbeat);
    }
    // Stopping mid-retry: throwing leaves the offset uncommitted, so the next start delivers this event.
    throw new Error(`stopped before delivering ${event.id} to ${target.name}`);
  }

  /** Sleeps between attempts, heartbeating so the group keeps this member through long backoffs. */
  private async wait(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stop.signal.aborted && Date.now() < until) {
      await sleep(Math.min(HEARTBEAT_EVERY_MS, until - Date.now()), this.stop.signal);
      await heartbeat().catch(() => undefined);
    }
  }

  private async post(target: WebhookTarget, body: string, key: string): Promise<DeliveryOutcome> {
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, 'user-agent': 'doflamingo-alerter' },
        body,
        signal: AbortSignal.timeout(this.config.alerter.webhookTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return deliveryOutcome(response.status);
    } catch (error) {
      return { delivered: false, retry: true, error: (error as Error).message };
    }
  }
}

function safeJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
