import type { AnomalyEvent } from '@doflamingo/contracts';
import { AnomalyLog } from './anomaly-log';

const anomaly = (at: number, over: Partial<AnomalyEvent> = {}): AnomalyEvent => ({
  schemaVersion: 1,
  cluster: 'prod',
  metric: 'kafka_broker_bytes_in_per_second',
  labels: { broker: '1' },
  at,
  value: 900,
  expected: { low: 90, center: 100, high: 110 },
  score: 40,
  direction: 'high',
  detector: 'ewma-mad',
  ...over,
});

describe('AnomalyLog', () => {
  it('keeps each anomaly once, oldest first, within the window asked for', () => {
    const sut = new AnomalyLog();
    sut.apply([anomaly(3000), anomaly(1000)], 'snapshot');
    sut.apply([anomaly(3000), anomaly(2000, { labels: { broker: '2' } })], 'update');
    expect(sut.since(0).map((a) => a.at)).toEqual([1000, 2000, 3000]);
    expect(sut.since(2000).map((a) => a.at)).toEqual([2000, 3000]);
  });

  it('replaces everything on a snapshot (a reconnect), keeps only the newest up to its limit, and leaves out rate-basis anomalies', () => {
    const sut = new AnomalyLog(2);
    sut.apply([anomaly(1000), anomaly(2000)], 'snapshot');
    sut.apply([anomaly(5000)], 'snapshot');
    expect(sut.since(0).map((a) => a.at)).toEqual([5000]);
    sut.apply([anomaly(6000), anomaly(7000), anomaly(8000, { basis: 'rate' })], 'update');
    expect(sut.since(0).map((a) => a.at)).toEqual([6000, 7000]);
  });
});
