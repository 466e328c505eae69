import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { EachBatchPayload } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { decodeMetricBatch, topicNames } from '@doflamingo/contracts';
import { alertsTopicSpec, consumeTopics, ConsumerHandle, KafkaClients, metricsTopicSpec } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { retry } from '@doflamingo/runtime';
import { readFiringAlerts } from '../consuming/firing-alerts-reader';
import { AlertPublisher } from '../publishing/alert-publisher.service';
import { RULE_ENGINE } from './rule-engine.token';
import { RuleEngine } from './rule-engine';

/**
 * Runs the rules on the live metric stream. At start it reads back which alerts were firing (so a
 * restart neither repeats nor forgets them), then consumes the metrics topic from its end with the
 * alerter's consumer group and evaluates every rule once per ALERT_EVALUATION_INTERVAL_MS.
 *
 * One alerter per installation: a rule like "active controllers ≠ 1" sums series that the agent
 * publishes on different partitions, so the rules must see the whole topic.
 */
@Injectable()
export class RuleEvaluator implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ConsumerHandle;
  private timer?: NodeJS.Timeout;
  private readonly stop = new AbortController();
  private readonly throttle = new LogThrottle(60000);
  private state: { ready: boolean; message: string } = { ready: false, message: 'starting' };
  batches = 0;
  skipped = 0;
  evaluations = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RULE_ENGINE) private readonly engine: RuleEngine,
    private readonly clients: KafkaClients,
    private readonly publisher: AlertPublisher,
    private readonly indicators: HealthIndicatorService,
    @InjectPinoLogger(RuleEvaluator.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void this.start().catch((error: Error) => {
      this.state = { ready: false, message: error.message };
      this.logger.error({ err: error.message }, 'the rule evaluator failed to start');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.stop.abort();
    await this.consumer?.stop().catch(() => undefined);
  }

  check(key = 'rules') {
    const indicator = this.indicators.check(key);
    const details = { rules: this.engine.rules.length, watchedSeries: this.engine.watchedSeries, openAlerts: this.engine.openAlerts(), unpublished: this.publisher.backlog };
    if (this.state.ready && !this.consumer?.running) return indicator.down({ message: 'the metrics consumer stopped on an error and is being restarted', ...details });
    return this.state.ready ? indicator.up(details) : indicator.down({ message: this.state.message, ...details });
  }

  private async start(): Promise<void> {
    const topics = topicNames(this.config.topicPrefix);
    const { alerter } = this.config;
    this.consumer = await consumeTopics({
      clients: this.clients,
      topics: [metricsTopicSpec(this.config)],
      alsoCreate: [alertsTopicSpec(this.config)],
      // Not shorter: while a broker hangs, kafkajs's metadata requests to it time out (10 s each) and
      // hold back fetching and heartbeats; with a 10 s session the alerter was then expelled from its
      // group and stopped reading for a rejoin, just when the alert about that broker was due.
      consumer: { groupId: alerter.consumerGroup, sessionTimeout: 30000, allowAutoTopicCreation: false, retry: { retries: Infinity, initialRetryTime: 500, maxRetryTime: 15000 } },
      // Alerts are about now: a new group starts at the end, a restarted one where it stopped.
      // It does commit: without commits (tried for the hung-broker case, where a commit waits for
      // every in-sync replica of __consumer_offsets), each of kafkajs's internal restarts after a
      // broker was killed asked the dead leaders for the latest offsets, and no alert came in 90 s.
      fromBeginning: false,
      run: { partitionsConsumedConcurrently: 3, eachBatch: async (payload) => this.ingest(payload) },
      signal: this.stop.signal,
      onRetry: (step, error, attempt) => {
        this.state = { ready: false, message: `cannot ${step} yet: ${error.message}` };
        this.logger.warn({ attempt, err: error.message }, `cannot ${step} for the metrics stream yet; retrying`);
      },
      onCrash: (error, restartInMs) => this.logger.error({ err: error.message, restartInMs }, 'the metrics consumer stopped on an error; starting a new one'),
    });
    if (!this.consumer) return;

    this.state = { ready: false, message: 'reading back firing alerts' };
    const firing = await retry(() => readFiringAlerts(this.clients, topics.alerts, `${alerter.consumerGroup}-restore-${this.config.instanceId}`, 60000), {
      retries: Infinity,
      initialDelayMs: 1000,
      maxDelayMs: 15000,
      signal: this.stop.signal,
      onRetry: (error, attempt) => this.logger.warn({ attempt, err: error.message }, 'cannot read back the alerts topic yet; retrying'),
    });
    if (this.stop.signal.aborted) return;
    this.engine.restore(firing, Date.now());
    this.logger.info({ rules: this.engine.rules.map((r) => r.name), restoredFiring: firing.map((a) => a.id) }, 'evaluating alert rules');
    this.timer = setInterval(() => this.evaluate(), alerter.evaluationIntervalMs);
    this.state = { ready: true, message: 'evaluating' };
  }

  private evaluate(): void {
    const events = this.engine.evaluate(Date.now());
    this.evaluations++;
    for (const event of events) this.logger.info({ alert: event.id, state: event.state, severity: event.severity, value: event.value }, event.message);
    this.publisher.publish(events);
  }

  private async ingest({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      const decoded = decodeMetricBatch(message.value);
      if (!decoded.ok) {
        this.skip(batch.partition, decoded.reason);
        continue;
      }
      this.batches++;
      this.engine.ingest(decoded.batch);
    }
    await heartbeat();
  }

  private skip(partition: number, reason: string): void {
    this.skipped++;
    const admitted = this.throttle.admit('skip');
    if (admitted) this.logger.warn({ partition, reason, skippedSinceLastLog: admitted.suppressed + 1 }, 'skipping metric events that break the contract (the processor dead-letters them)');
  }
}
