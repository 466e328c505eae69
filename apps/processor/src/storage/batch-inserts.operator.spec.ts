import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batchInserts, InsertOutcome, InsertRequest } from './batch-inserts.operator';

describe('batchInserts', () => {
  const request = (rows: number[], settled: Array<string>) => ({
    rows,
    done: (error?: Error) => settled.push(error ? `${rows}:${error.message}` : `${rows}:ok`),
  });

  it('flushes on size at once, and otherwise after at most maxWaitMs (virtual time)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const inserted: Array<{ at: number; rows: number[] }> = [];
    scheduler.run(({ cold }) => {
      const settled: string[] = [];
      const [a, b, c, d] = [request([1], settled), request([2, 3], settled), request([4], settled), request([5], settled)];
      // a, b, c arrive at frames 0, 2, 4 (cap 3 reached); d arrives alone at frame 26.
      const requests = cold<InsertRequest<number>>('a-b-c 20ms d 30ms |', { a, b, c, d });
      requests
        .pipe(
          batchInserts<number>((rows) => {
            inserted.push({ at: scheduler.now(), rows });
            return Promise.resolve();
          }, { maxWaitMs: 10, maxRequests: 3, concurrency: 2 }),
        )
        .subscribe();
    });
    expect(inserted.map((i) => i.rows)).toEqual([[1, 2, 3, 4], [5]]);
    expect(inserted[0].at).toBe(4);
    expect(inserted[1].at).toBeGreaterThan(26);
    expect(inserted[1].at).toBeLessThanOrEqual(36);
  });

  it('settles every request of a failed batch with the error, and keeps going', async () => {
    const settled: string[] = [];
    const requests = new Subject<InsertRequest<number>>();
    const outcomes: InsertOutcome[] = [];
    let calls = 0;
    requests
      .pipe(
        batchInserts<number>(async () => {
          if (calls++ === 0) throw new Error('ClickHouse is down');
        }, { maxWaitMs: 5, maxRequests: 2, concurrency: 1 }),
      )
      .subscribe((outcome) => outcomes.push(outcome));

    requests.next(request([1], settled));
    requests.next(request([2], settled));
    await new Promise((resolve) => setTimeout(resolve, 30));
    requests.next(request([3], settled));
    await new Promise((resolve) => setTimeout(resolve, 30));

    requests.complete();
    expect(settled).toEqual(['1:ClickHouse is down', '2:ClickHouse is down', '3:ok']);
    expect(outcomes.map((o) => [o.rows, o.error?.message])).toEqual([[2, 'ClickHouse is down'], [1, undefined]]);
  });

  it('keeps no more than `concurrency` inserts in flight', async () => {
    const requests = new Subject<InsertRequest<number>>();
    let inFlight = 0;
    let peak = 0;
    requests
      .pipe(
        batchInserts<number>(async () => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inFlight--;
        }, { maxWaitMs: 1, maxRequests: 1, concurrency: 2 }),
      )
      .subscribe();
    const settled: string[] = [];
    for (let i = 0; i < 6; i++) requests.next(request([i], settled));
    await new Promise((resolve) => setTimeout(resolve, 150));
    requests.complete();
    expect(settled).toHaveLength(6);
    expect(peak).toBe(2);
  });
});
