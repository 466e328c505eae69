/** Raised when a network call takes longer than its budget. Retriable: the next attempt may succeed. */
export class TimeoutError extends Error {
  readonly retriable = true;
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Every network call gets a deadline: one slow server must never stall a caller forever. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A health probe must answer quickly even when a dependency hangs. */
export const HEALTH_CHECK_TIMEOUT_MS = 3000;
