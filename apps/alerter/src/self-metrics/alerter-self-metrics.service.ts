import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { alerterMetrics as am, METRIC_EVENT_SCHEMA_VERSION, MetricBatch, MetricSample, sample, topicNames } from '@doflamingo/contracts';
import { KafkaClients } from '@doflamingo/kafka';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { RuleEngine } from '../evaluation/rule-engine';
import { RULE_ENGINE } from '../evaluation/rule-engine.token';
import { RuleEvaluator } from '../evaluation/rule-evaluator.service';
import { AlertPublisher } from '../publishing/alert-publisher.service';
import { WebhookNotifier } from '../webhooks/webhook-notifier.service';

const INTERVAL_MS = 10000;

/**
 * Publishes the alerter's own figures on the metrics topic every 10 s, like the processor, so a
 * webhook that keeps failing or an alerts topic that cannot be written shows on the dashboard and
 * can itself be alerted on. The cluster name is the topic prefix: the Doflamingo installation.
 */
@Injectable()
export class AlerterSelfMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private publishing = false;
  private readonly producer: Producer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RULE_ENGINE) private readonly engine: RuleEngine,
    private readonly evaluator: RuleEvaluator,
    private readonly publisher: AlertPublisher,
    private readonly webhooks: WebhookNotifier,
    clients: KafkaClients,
    @InjectPinoLogger(AlerterSelfMetrics.name) private readonly logger: PinoLogger,
  ) {
    this.producer = clients.producer({ retry: { retries: 2 } });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.publish(), INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  samples(): MetricSample[] {
    const instance = { instance: this.config.instanceId };
    return [
      sample(am.rules, instance, this.engine.rules.length),
      sample(am.watchedSeries, instance, this.engine.watchedSeries),
      sample(am.openAlerts, instance, this.engine.openAlerts()),
      sample(am.eventsPublished, instance, this.publisher.published),
      sample(am.eventsUnpublished, instance, this.publisher.backlog),
      sample(am.metricEventsSkipped, instance, this.evaluator.skipped),
      ...this.webhooks.stats().flatMap((w) => [
        sample(am.webhookDelivered, { ...instance, webhook: w.name }, w.delivered),
        sample(am.webhookFailedAttempts, { ...instance, webhook: w.name }, w.failedAttempts),
        sample(am.webhookDropped, { ...instance, webhook: w.name }, w.dropped),
      ]),
    ];
  }

  private async publish(): Promise<void> {
    if (this.publishing) return; // while Kafka is away, ticks in between are skipped
    this.publishing = true;
    const batch: MetricBatch = {
      schemaVersion: METRIC_EVENT_SCHEMA_VERSION,
      cluster: this.config.topicPrefix,
      source: { agentId: this.config.instanceId, collector: 'alerter' },
      timestamp: Date.now(),
      samples: this.samples(),
    };
    try {
      await this.producer.connect();
      await this.producer.send({ topic: topicNames(this.config.topicPrefix).metrics, messages: [{ key: `${this.config.topicPrefix}/alerter/${this.config.instanceId}`, value: JSON.stringify(batch) }] });
    } catch (error) {
      this.logger.debug({ err: (error as Error).message }, 'alerter self-metrics not published');
    } finally {
      this.publishing = false;
    }
  }
}
