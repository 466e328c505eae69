import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ClickHouseClient } from '@clickhouse/client';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { CLICKHOUSE_CLIENT, dropExpiredPartitions, ROLLUP_TABLES } from '@doflamingo/clickhouse';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { SchemaMigrator } from '../schema-migrator.service';

/**
 * Drops daily partitions older than each table's retention (RETENTION_*_DAYS), once the schema
 * is in place and then every RETENTION_INTERVAL_MS. Several processors may run it at once: a
 * partition dropped twice is not an error.
 */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(CLICKHOUSE_CLIENT) private readonly client: ClickHouseClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schema: SchemaMigrator,
    @InjectPinoLogger(RetentionScheduler.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void this.schema.ready.then(() => {
      if (this.stopped) return;
      void this.run();
      this.timer = setInterval(() => void this.run(), this.config.processor.retentionIntervalMs);
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    const days = this.config.processor.retentionDays;
    const policy = { samples_raw: days.raw, [ROLLUP_TABLES['10s']]: days.rollups10s, [ROLLUP_TABLES['1m']]: days.rollups1m, alerts: days.alerts };
    try {
      const dropped = await dropExpiredPartitions(this.client, this.config.clickhouse.database, policy);
      if (dropped.length > 0) this.logger.info({ dropped, policy }, 'retention: dropped expired daily partitions');
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'retention run failed; will try again at the next interval');
    }
  }
}
