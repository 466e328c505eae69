import { bufferTime, filter, map, mergeMap, OperatorFunction } from 'rxjs';

/** Rows one caller wants stored, and how to tell it they are (or why they are not). */
export interface InsertRequest<Row> {
  rows: Row[];
  done: (error?: Error) => void;
}

export interface BatchInsertOptions {
  /** How long to gather requests before inserting them together. */
  maxWaitMs: number;
  /** Requests per insert at most (each request is one Kafka batch of rows). */
  maxRequests: number;
  /** Inserts in flight at once. */
  concurrency: number;
}

export interface InsertOutcome {
  rows: number;
  requests: number;
  error?: Error;
}

/**
 * Gathers insert requests for `maxWaitMs` (or until `maxRequests`), inserts their rows as one batch
 * with at most `concurrency` inserts in flight, and settles every request of the batch. A failed
 * insert settles its requests with the error and the stream carries on with the next batch.
 * Memory stays bounded because callers await `done` before sending more.
 */
export function batchInserts<Row>(
  insert: (rows: Row[]) => Promise<void>,
  options: BatchInsertOptions,
): OperatorFunction<InsertRequest<Row>, InsertOutcome> {
  return (requests$) =>
    requests$.pipe(
      bufferTime(options.maxWaitMs, null, options.maxRequests),
      filter((batch) => batch.length > 0),
      mergeMap(async (batch) => {
        const rows = batch.length === 1 ? batch[0].rows : batch.flatMap((request) => request.rows);
        try {
          await insert(rows);
          for (const request of batch) request.done();
          return { rows: rows.length, requests: batch.length };
        } catch (error) {
          for (const request of batch) request.done(error as Error);
          return { rows: rows.length, requests: batch.length, error: error as Error };
        }
      }, options.concurrency),
    );
}
