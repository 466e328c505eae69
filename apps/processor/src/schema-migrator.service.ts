import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ClickHouseClient } from '@clickhouse/client';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { CLICKHOUSE_CLIENT, MIGRATIONS, MigrationRunner } from '@doflamingo/clickhouse';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { retry } from '@doflamingo/runtime';

/**
 * Brings the ClickHouse schema up to date when the processor starts. ClickHouse being down at
 * that moment does not stop the app: it keeps retrying with backoff, and /health says "schema"
 * is down until the migrations are in.
 */
@Injectable()
export class SchemaMigrator implements OnApplicationBootstrap, OnApplicationShutdown {
  private state: { ready: boolean; error?: string } = { ready: false, error: 'not run yet' };
  private readonly stop = new AbortController();
  private markReady!: () => void;
  /** Resolves once the schema is up to date (never, if the app stops first). */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    @Inject(CLICKHOUSE_CLIENT) private readonly client: ClickHouseClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPinoLogger(SchemaMigrator.name) private readonly logger: PinoLogger,
    private readonly indicators: HealthIndicatorService,
  ) {}

  onApplicationBootstrap(): void {
    const runner = new MigrationRunner(this.client, this.config.clickhouse.database, MIGRATIONS);
    void retry(() => runner.migrate(), {
      retries: Infinity,
      initialDelayMs: 500,
      maxDelayMs: 30000,
      signal: this.stop.signal,
      onRetry: (error, attempt, delayMs) => {
        this.state = { ready: false, error: error.message };
        this.logger.warn({ attempt, delayMs, err: error.message }, 'ClickHouse schema migration failed; retrying');
      },
    })
      .then((report) => {
        this.state = { ready: true };
        this.markReady();
        this.logger.info({ database: this.config.clickhouse.database, ...report }, 'ClickHouse schema is up to date');
      })
      .catch((error: Error) => this.logger.error({ err: error.message }, 'ClickHouse schema migration gave up'));
  }

  onApplicationShutdown(): void {
    this.stop.abort();
  }

  check(key = 'schema') {
    const indicator = this.indicators.check(key);
    return this.state.ready ? indicator.up() : indicator.down({ message: this.state.error });
  }
}
