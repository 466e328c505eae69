import { SeriesIdentities } from '../series/series-identity';
import { EventTimeWindows } from './event-time-windows';

describe('EventTimeWindows', () => {
  const identities = new SeriesIdentities();
  const gauge = identities.of('c', 'g', { broker: '1' });
  const other = identities.of('c', 'g', { broker: '2' });
  const counter = identities.of('c', 'requests_total', {});
  const sut = (allowedLatenessMs = 5000) =>
    new EventTimeWindows({
      resolutions: [
        { name: '10s', sizeMs: 10_000 },
        { name: '1m', sizeMs: 60_000 },
      ],
      allowedLatenessMs,
      isCounter: (metric) => metric.endsWith('_total'),
    });

  /** Adds a sample as the consumer does: the sample, then the event time it carried. */
  function feed(windows: EventTimeWindows, partition: number, offset: number, series = gauge, ts: number, value: number): number {
    const late = windows.add(partition, offset, series, ts, value);
    windows.observe(partition, ts);
    return late;
  }

  it('keeps a window open until the watermark (latest event time − lateness) passes its end', () => {
    const windows = sut(5000);
    feed(windows, 0, 1, gauge, 1_000, 1);
    feed(windows, 0, 2, gauge, 9_000, 3);
    feed(windows, 0, 3, gauge, 14_000, 7); // watermark 9 000: window [0, 10 000) still open
    expect(windows.closeDue(0)).toEqual([]);

    feed(windows, 0, 4, gauge, 15_000, 7); // watermark 10 000 = its end
    const closed = windows.closeDue(0);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ resolution: '10s', windowStart: 0, windowEnd: 10_000, firstOffset: 1 });
    expect(closed[0].summary).toMatchObject({ count: 2, min: 1, max: 3, sum: 4, first: 1, last: 3 });
  });

  it('accepts a sample within the allowed lateness and refuses one after its window closed', () => {
    const windows = sut(5000);
    feed(windows, 0, 1, gauge, 12_000, 1);
    expect(feed(windows, 0, 2, gauge, 8_000, 2)).toBe(0); // 4 s late, window [0,10 000) still open
    feed(windows, 0, 3, gauge, 16_000, 1);
    const closed = windows.closeDue(0);
    expect(closed.find((w) => w.windowStart === 0)?.summary.count).toBe(1);
    // Window [0, 10 000) is closed now: a sample for it is late for 10 s, on time for the open minute.
    expect(feed(windows, 0, 4, gauge, 9_000, 5)).toBe(1);
  });

  it('closes the 1-minute window with every sample of the minute', () => {
    const windows = sut(0);
    for (let s = 0; s < 60; s += 10) feed(windows, 0, s, gauge, s * 1000, s);
    feed(windows, 0, 99, gauge, 60_000, 0);
    const minute = windows.closeDue(0).find((w) => w.resolution === '1m');
    expect(minute?.summary).toMatchObject({ count: 6, min: 0, max: 50, sum: 150, avg: 25, first: 0, last: 50 });
  });

  it('keeps partitions apart: one partition’s event time does not close another’s windows', () => {
    const windows = sut(0);
    feed(windows, 0, 1, gauge, 1_000, 1);
    feed(windows, 1, 1, other, 100_000, 1);
    expect(windows.closeDue(0)).toEqual([]);
    expect(windows.lowestOpenOffset(0)).toBe(1);
  });

  it('reports the earliest offset an open window depends on, and none when all are closed', () => {
    const windows = sut(0);
    feed(windows, 0, 10, gauge, 1_000, 1);
    feed(windows, 0, 11, other, 2_000, 1);
    feed(windows, 0, 12, gauge, 11_000, 1); // closes [0,10 000); the minute window from offset 10 stays open
    windows.closeDue(0);
    expect(windows.lowestOpenOffset(0)).toBe(10);
    expect(windows.closeAll(0).length).toBeGreaterThan(0);
    expect(windows.lowestOpenOffset(0)).toBeUndefined();
  });

  it('treats a sample for a window closed by an idle flush as late', () => {
    const windows = sut(5000);
    feed(windows, 0, 1, gauge, 1_000, 1);
    windows.closeAll(0);
    expect(feed(windows, 0, 2, gauge, 2_000, 1)).toBe(2);
  });

  it('gives counters their increase per window', () => {
    const windows = sut(0);
    feed(windows, 0, 1, counter, 0, 100);
    feed(windows, 0, 2, counter, 5_000, 150);
    feed(windows, 0, 3, counter, 9_000, 10); // restarted
    feed(windows, 0, 4, counter, 10_000, 20);
    const tenSeconds = windows.closeDue(0).find((w) => w.resolution === '10s');
    expect(tenSeconds?.summary).toMatchObject({ delta: 60, rate: 60 / 9 });
  });

  it('forgets a dropped partition and holds nothing for series that stopped', () => {
    const windows = sut(0);
    for (let i = 0; i < 100; i++) feed(windows, 0, i, identities.of('c', 'churn', { id: String(i) }), 1_000, 1);
    expect(windows.openWindows).toBe(200);
    feed(windows, 0, 100, gauge, 120_000, 1);
    windows.closeDue(0);
    expect(windows.openWindows).toBe(2);
    windows.drop(0);
    expect(windows.openWindows).toBe(0);
    expect(windows.lowestOpenOffset(0)).toBeUndefined();
  });
});
