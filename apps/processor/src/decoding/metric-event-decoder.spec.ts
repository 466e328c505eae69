import { decodeMetricEvent } from './metric-event-decoder';

describe('decodeMetricEvent', () => {
  const now = 1_800_000_000_000;
  const event = (overrides: Record<string, unknown> = {}) => ({
    schemaVersion: 1,
    cluster: 'local',
    source: { agentId: 'a1', collector: 'jmx' },
    timestamp: now - 1000,
    samples: [{ metric: 'm', labels: { broker: '1' }, value: 1.5 }],
    ...overrides,
  });
  const sut = (value: Buffer | null) => decodeMetricEvent(value, now, 60_000);
  const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('accepts a valid event', () => {
    const decoded = sut(bytes(event()));
    expect(decoded).toEqual({ ok: true, batch: event() });
  });

  it.each([
    ['an empty message', null, /empty message/],
    ['bytes that are not JSON', Buffer.from('{"schemaVersion":'), /^not JSON/],
    ['an unknown schema version', bytes(event({ schemaVersion: 2 })), /at schemaVersion/],
    ['a sample without a value', bytes(event({ samples: [{ metric: 'm', labels: {} }] })), /at samples\.0\.value/],
    ['a bad metric name', bytes(event({ samples: [{ metric: '1bad', labels: {}, value: 1 }] })), /at samples\.0\.metric/],
    ['a JSON array', bytes([1, 2]), /at \(event\)/],
    ['a timestamp far in the future', bytes(event({ timestamp: now + 3_600_000 })), /3600 s in the future/],
  ])('refuses %s with a reason', (_, value, reason) => {
    const decoded = sut(value);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(reason);
  });
});
