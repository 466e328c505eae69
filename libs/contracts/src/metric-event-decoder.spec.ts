import { decodeMetricBatch } from './metric-event-decoder';

const valid = { schemaVersion: 1, cluster: 'prod', source: { agentId: 'a', collector: 'jmx' }, timestamp: 1_764_000_000_000, samples: [{ metric: 'm', labels: {}, value: 1 }] };
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('decodeMetricBatch', () => {
  it('returns the batch of a message that keeps the contract', () => {
    expect(decodeMetricBatch(bytes(valid))).toEqual({ ok: true, batch: valid });
  });

  it.each<[string, Buffer | null, RegExp]>([
    ['an empty message', null, /empty message/],
    ['bytes that are not JSON', bytes('{"schemaVersion":'), /^not JSON/],
    ['another schema version', bytes({ ...valid, schemaVersion: 2 }), /at schemaVersion/],
    ['a sample without a finite value', bytes({ ...valid, samples: [{ metric: 'm', labels: {}, value: 'NaN' }] }), /at samples\.0\.value/],
  ])('refuses %s, saying why', (_, value, reason) => {
    const decoded = decodeMetricBatch(value);
    expect(decoded.ok).toBe(false);
    expect(decoded.ok === false && decoded.reason).toMatch(reason);
  });
});
