import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ClickHouseClient } from '@clickhouse/client';
import { EachBatchPayload } from 'kafkajs';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { CLICKHOUSE_CLIENT, qualified } from '@doflamingo/clickhouse';
import { alertEventSchema } from '@doflamingo/contracts';
import { alertsTopicSpec, consumeTopics, ConsumerHandle, KafkaClients } from '@doflamingo/kafka';
import { InjectPinoLogger, LogThrottle, PinoLogger } from '@doflamingo/logging';
import { SchemaMigrator } from '../schema-migrator.service';
import { SinkHealth } from '../storage/sink-health';
import { TableWriter } from '../storage/table-writer';
import { ALERT_COLUMNS, alertLine } from './alert-rows';

/**
 * Keeps the alert history: reads the alerts topic with a consumer group of its own (from the start
 * the first time, so nothing the alerter published before is missed) and stores every event in the
 * `alerts` table. Offsets are committed only after the insert, so an outage of ClickHouse (retried
 * by the writer) or a restart loses nothing; a replay rewrites rows that replace themselves.
 */
@Injectable()
export class AlertHistoryConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ConsumerHandle;
  private writer?: TableWriter;
  private readonly stop = new AbortController();
  private readonly throttle = new LogThrottle(60000);
  stored = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLICKHOUSE_CLIENT) private readonly client: ClickHouseClient,
    private readonly clients: KafkaClients,
    private readonly schema: SchemaMigrator,
    private readonly indicators: HealthIndicatorService,
    @InjectPinoLogger(AlertHistoryConsumer.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void this.start().catch((error: Error) => this.logger.error({ err: error.message }, 'alert history failed to start'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.consumer?.stop().catch(() => undefined);
    this.writer?.close();
  }

  check(key = 'alertHistory') {
    const indicator = this.indicators.check(key);
    return this.consumer?.running ? indicator.up({ stored: this.stored }) : indicator.down({ message: 'not consuming the alerts topic (starting, or restarting after an error)' });
  }

  private async start(): Promise<void> {
    await this.schema.ready;
    const health = new SinkHealth('ClickHouse (alert history)', this.logger);
    this.writer = new TableWriter(this.client, qualified(this.config.clickhouse.database, 'alerts'), ALERT_COLUMNS, { maxWaitMs: 0, maxRequests: 10, concurrency: 1 }, health, this.stop.signal);
    this.consumer = await consumeTopics({
      clients: this.clients,
      topics: [alertsTopicSpec(this.config)],
      consumer: { groupId: `${this.config.processor.consumerGroup}-alert-history`, sessionTimeout: 30000, allowAutoTopicCreation: false, retry: { retries: Infinity, initialRetryTime: 500, maxRetryTime: 15000 } },
      fromBeginning: true,
      // kafkajs resolves a batch's offsets only when eachBatch returns, that is after the insert.
      run: { eachBatch: (payload) => this.store(payload) },
      signal: this.stop.signal,
      onRetry: (step, error, attempt) => this.logger.warn({ attempt, err: error.message }, `cannot ${step} for the alert history yet; retrying`),
      onCrash: (error, restartInMs) => this.logger.error({ err: error.message, restartInMs }, 'the alert history consumer stopped on an error; starting a new one'),
    });
  }

  private async store({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const lines: string[] = [];
    for (const message of batch.messages) {
      const parsed = alertEventSchema.safeParse(safeJson(message.value?.toString()));
      if (parsed.success) lines.push(alertLine(parsed.data));
      else {
        const admitted = this.throttle.admit('bad');
        if (admitted) this.logger.warn({ offset: message.offset, partition: batch.partition, suppressed: admitted.suppressed }, 'skipping an alerts-topic message that is not an alert event');
      }
    }
    const heartbeats = setInterval(() => void heartbeat().catch(() => undefined), 3000);
    try {
      await this.writer!.write(lines);
    } finally {
      clearInterval(heartbeats);
    }
    this.stored += lines.length;
  }
}

function safeJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
