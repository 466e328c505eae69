import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ClickHouseClient } from '@clickhouse/client';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { CLICKHOUSE_CLIENT, qualified, ROLLUP_TABLES } from '@doflamingo/clickhouse';
import { RollupResolutionName } from '@doflamingo/contracts';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { ClosedWindow } from '../windows/event-time-windows';
import { SinkHealth } from './sink-health';
import { TableWriter } from './table-writer';
import { RAW_COLUMNS, ROLLUP_COLUMNS, rollupLine } from './table-rows';

/** The processor's ClickHouse tables: raw samples and the two rollup resolutions. */
@Injectable()
export class ClickHouseSink implements OnApplicationShutdown {
  readonly health: SinkHealth;
  private readonly stop = new AbortController();
  private readonly raw: TableWriter;
  private readonly rollups: Record<RollupResolutionName, TableWriter>;

  constructor(
    @Inject(CLICKHOUSE_CLIENT) client: ClickHouseClient,
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectPinoLogger(ClickHouseSink.name) logger: PinoLogger,
  ) {
    this.health = new SinkHealth('ClickHouse', logger);
    const database = config.clickhouse.database;
    const options = {
      maxWaitMs: config.processor.insertMaxWaitMs,
      maxRequests: config.processor.partitionsConcurrency * 4,
      concurrency: config.processor.insertConcurrency,
    };
    const writer = (table: string, columns: readonly string[]) => {
      const tableWriter = new TableWriter(client, qualified(database, table), columns, options, this.health, this.stop.signal);
      tableWriter.onInserted = (rows, ms) => logger.debug({ table, rows, ms }, 'inserted');
      return tableWriter;
    };
    this.raw = writer('samples_raw', RAW_COLUMNS);
    this.rollups = { '10s': writer(ROLLUP_TABLES['10s'], ROLLUP_COLUMNS), '1m': writer(ROLLUP_TABLES['1m'], ROLLUP_COLUMNS) };
  }

  /** Resolves once the rows are stored (retrying through outages). */
  writeRaw(rows: string[]): Promise<void> {
    return this.raw.write(rows);
  }

  async writeWindows(windows: ClosedWindow[]): Promise<void> {
    const byResolution: Record<RollupResolutionName, string[]> = { '10s': [], '1m': [] };
    for (const window of windows) byResolution[window.resolution].push(rollupLine(window));
    await Promise.all([this.rollups['10s'].write(byResolution['10s']), this.rollups['1m'].write(byResolution['1m'])]);
  }

  get rawRowsWritten(): number {
    return this.raw.rowsWritten;
  }

  onApplicationShutdown(): void {
    this.stop.abort();
    for (const writer of [this.raw, this.rollups['10s'], this.rollups['1m']]) writer.close();
  }
}
