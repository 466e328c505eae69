/** The last reading of a counter, to turn the next one into a rate. */
export interface CounterReading {
  value: number;
  at: number;
}

export type RateStep = { rate: number; reading: CounterReading } | { rate: undefined; reading: CounterReading };

/**
 * A counter only grows, so its value says nothing about now; its per-second rate does. Returns
 * the rate since `previous`, and the reading to keep. No rate for the first reading, nor after a
 * reset (the value went down: the process restarted and counts from zero again).
 */
export function counterRate(previous: CounterReading | undefined, value: number, at: number): RateStep {
  const reading = { value, at };
  if (!previous || value < previous.value) return { rate: undefined, reading };
  return { rate: ((value - previous.value) * 1000) / (at - previous.at), reading };
}
