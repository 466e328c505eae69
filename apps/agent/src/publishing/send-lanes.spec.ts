import { PendingMessage } from './bounded-buffer';
import { laneOfKey, SendLanes } from './send-lanes';

const message = (key: string, bytes: number): PendingMessage => ({ key, value: Buffer.alloc(bytes - key.length) });
const keys = Array.from({ length: 60 }, (_, i) => `c/jmx/${i}`);

describe('laneOfKey', () => {
  it('gives a key the same lane every time, within range', () => {
    for (const key of keys) {
      const lane = laneOfKey(key, 6);
      expect(lane).toBeGreaterThanOrEqual(0);
      expect(lane).toBeLessThan(6);
      expect(laneOfKey(key, 6)).toBe(lane);
    }
  });

  it('spreads keys over every lane', () => {
    expect(new Set(keys.map((key) => laneOfKey(key, 6))).size).toBe(6);
  });
});

describe('SendLanes', () => {
  it('queues each message in its key lane, in order', () => {
    const sut = new SendLanes(6, 1_000_000);
    const sent = keys.slice(0, 12).flatMap((key) => [message(key, 20), message(key, 30)]);
    sent.forEach((m) => sut.push(m));
    expect(sut.length).toBe(24);
    expect(sut.bytes).toBe(12 * 50);
    for (const [index, lane] of sut.lanes.entries()) {
      const queued = lane.peek(100, 1_000_000);
      expect(queued.every((m) => laneOfKey(m.key, 6) === index)).toBe(true);
      expect(queued).toEqual(sent.filter((m) => laneOfKey(m.key, 6) === index));
    }
  });

  it('past the shared cap drops the oldest messages of the fullest lane', () => {
    const [stuckKey, healthyKey] = [keys[0], keys.find((key) => laneOfKey(key, 6) !== laneOfKey(keys[0], 6))!];
    const sut = new SendLanes(6, 100);
    const backlog = [1, 2, 3, 4].map(() => message(stuckKey, 20));
    backlog.forEach((m) => sut.push(m));
    const fresh = message(healthyKey, 30);
    sut.push(fresh);
    expect(sut.bytes).toBeLessThanOrEqual(100);
    expect(sut.dropped).toBe(1);
    expect(sut.lanes[laneOfKey(stuckKey, 6)].peek(10, 1000)).toEqual(backlog.slice(1));
    expect(sut.lanes[laneOfKey(healthyKey, 6)].peek(10, 1000)).toEqual([fresh]);
  });
});
