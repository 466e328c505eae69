import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule, HealthIndicatorService } from '@nestjs/terminus';
import { ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { AppConfig, APP_CONFIG, ClickHouseConnection } from '@doflamingo/config';
import { HEALTH_CHECK_TIMEOUT_MS, withTimeout } from '@doflamingo/runtime';

export const CLICKHOUSE_CLIENT = Symbol('CLICKHOUSE_CLIENT');

/** The official HTTP client, which also speaks to Debian's ClickHouse 18.16. */
export function createClickHouseClient(connection: ClickHouseConnection): ClickHouseClient {
  return createClient({
    url: connection.url,
    username: connection.username,
    password: connection.password,
    request_timeout: connection.requestTimeoutMs,
    // The client would print its own multi-line, non-JSON error reports to stderr; every call site
    // gets the same error as a rejection and logs it in the app's JSON log (throttled where it repeats).
    log: { level: ClickHouseLogLevel.OFF },
  });
}

@Injectable()
export class ClickHouseHealthIndicator {
  constructor(
    @Inject(CLICKHOUSE_CLIENT) private readonly client: ClickHouseClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'clickhouse') {
    const indicator = this.indicators.check(key);
    const ping = await withTimeout(this.client.ping(), HEALTH_CHECK_TIMEOUT_MS, 'ClickHouse').catch(
      (error: Error) => ({ success: false as const, error }),
    );
    return ping.success ? indicator.up() : indicator.down({ message: ping.error.message });
  }
}

@Injectable()
class ClickHouseClientCloser implements OnApplicationShutdown {
  constructor(@Inject(CLICKHOUSE_CLIENT) private readonly client: ClickHouseClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: CLICKHOUSE_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createClickHouseClient(config.clickhouse),
    },
    ClickHouseHealthIndicator,
    ClickHouseClientCloser,
  ],
  exports: [CLICKHOUSE_CLIENT, ClickHouseHealthIndicator],
})
export class ClickHouseModule {}
