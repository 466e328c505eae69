import { Readable } from 'node:stream';
import { ClickHouseClient } from '@clickhouse/client';
import { Subject, Subscription } from 'rxjs';
import { retry } from '@doflamingo/runtime';
import { BatchInsertOptions, batchInserts, InsertRequest } from './batch-inserts.operator';
import { SinkHealth } from './sink-health';

/**
 * Writes rows into one ClickHouse table: requests from concurrent Kafka batches are gathered into
 * one insert (see batchInserts), and an insert that fails is retried with backoff until it
 * succeeds or the app stops — so `write` resolving means the rows are stored.
 */
export class TableWriter {
  private readonly requests = new Subject<InsertRequest<string>>();
  private readonly subscription: Subscription;
  rowsWritten = 0;
  /** Called after each insert with its row count and duration (for debug logs and metrics). */
  onInserted?: (rows: number, ms: number) => void;

  constructor(
    private readonly client: ClickHouseClient,
    readonly table: string,
    /** Named on every insert: ClickHouse 18.16 fills omitted columns with zeros, not their DEFAULT, without a column list. */
    private readonly columns: readonly string[],
    options: BatchInsertOptions,
    private readonly health: SinkHealth,
    private readonly signal: AbortSignal,
  ) {
    this.subscription = this.requests.pipe(batchInserts<string>((lines) => this.insert(lines), options)).subscribe();
  }

  /** Writes TabSeparated lines (each ending in a newline) in the table's column order. */
  write(rows: string[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.requests.next({ rows, done: (error) => (error ? reject(error) : resolve()) });
    });
  }

  close(): void {
    this.requests.complete();
    this.subscription.unsubscribe();
  }

  private async insert(rows: string[]): Promise<void> {
    const started = Date.now();
    const body = rows.join('');
    const columns = this.columns as [string, ...string[]];
    await retry(() => this.client.insert({ table: this.table, values: Readable.from([body], { objectMode: false }), columns, format: 'TabSeparated' }), {
      retries: Infinity,
      initialDelayMs: 250,
      maxDelayMs: 10000,
      signal: this.signal,
      onRetry: (error, attempt) => this.health.failed(error, { table: this.table, rows: rows.length, attempt }),
    });
    this.rowsWritten += rows.length;
    this.health.succeeded();
    this.onInserted?.(rows.length, Date.now() - started);
  }
}
