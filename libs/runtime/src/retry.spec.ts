import { backoffDelay, retry } from './retry';
import { TimeoutError, withTimeout } from './with-timeout';

describe('backoffDelay', () => {
  it('doubles the ceiling each attempt and never passes the maximum', () => {
    const top = () => 1; // the largest jitter
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, 100, 1000, top))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('keeps at least half the ceiling so retries do not bunch up at zero', () => {
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(400);
  });
});

describe('retry', () => {
  const fast = { initialDelayMs: 1, maxDelayMs: 2 };

  it('returns the first success and reports each retry', async () => {
    const retried: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        if (++calls < 3) throw new Error('not yet');
        return 'done';
      },
      { ...fast, retries: 5, onRetry: (_, attempt) => retried.push(attempt) },
    );
    expect(result).toBe('done');
    expect(retried).toEqual([1, 2]);
  });

  it('gives up after the allowed retries with the last error', async () => {
    let calls = 0;
    await expect(retry(async () => Promise.reject(new Error(`fail ${++calls}`)), { ...fast, retries: 2 })).rejects.toThrow('fail 3');
  });

  it('never retries a programming error', async () => {
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw new TypeError('x is not a function');
      }, { ...fast, retries: 5 }),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    let calls = 0;
    const running = retry(async () => {
      if (++calls === 2) abort.abort();
      throw new Error('down');
    }, { initialDelayMs: 5, maxDelayMs: 5, retries: Infinity, signal: abort.signal });
    await expect(running).rejects.toThrow('down');
    expect(calls).toBe(2);
  });
});

describe('withTimeout', () => {
  it('fails a call that takes too long with a retriable TimeoutError naming it', async () => {
    const never = new Promise<never>(() => undefined);
    const error = await withTimeout(never, 10, 'ZooKeeper mntr').catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe('ZooKeeper mntr did not answer within 10 ms');
    expect(error.retriable).toBe(true);
  });

  it('passes a prompt answer through', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000, 'x')).resolves.toBe(42);
  });
});
