import { decodeMetricBatch, DecodedMetricBatch } from '@doflamingo/contracts';

export type Decoded = DecodedMetricBatch;

/**
 * The contract's decoding (decodeMetricBatch), plus the processor's own refusal: a batch stamped
 * far in the future (a wrong agent clock) would close every open window.
 */
export function decodeMetricEvent(value: Buffer | null, now: number, maxFutureSkewMs: number): Decoded {
  const decoded = decodeMetricBatch(value);
  if (decoded.ok && decoded.batch.timestamp > now + maxFutureSkewMs) {
    const ahead = Math.round((decoded.batch.timestamp - now) / 1000);
    return { ok: false, reason: `timestamp is ${ahead} s in the future (check the agent's clock)` };
  }
  return decoded;
}
