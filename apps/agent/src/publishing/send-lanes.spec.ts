import { PendingMessage } from './bounded-buffer';
import { partitionOfKey } from '@doflamingo/kafka';
import { SendLanes } from './send-lanes';

const message = (key: string, bytes: number): PendingMessage => ({ key, value: Buffer.alloc(bytes - key.length) });
const keys = Array.from({ length: 60 }, (_, i) => `c/jmx/${i}`);

describe('SendLanes', () => {
  it('queues each message in its key lane, in order', () => {
    const sut = new SendLanes(6, 1_000_000);
    const sent = keys.slice(0, 12).flatMap((key) => [message(key, 20), message(key, 30)]);
    sent.forEach((m) => sut.push(m));
    expect(sut.length).toBe(24);
    expect(sut.bytes).toBe(12 * 50);
    for (const [index, lane] of sut.lanes.entries()) {
      const queued = lane.peek(100, 1_000_000);
      expect(queued.every((m) => partitionOfKey(m.key, 6) === index)).toBe(true);
      expect(queued).toEqual(sent.filter((m) => partitionOfKey(m.key, 6) === index));
    }
  });

  it('past the shared cap drops the oldest messages of the fullest lane', () => {
    const [stuckKey, healthyKey] = [keys[0], keys.find((key) => partitionOfKey(key, 6) !== partitionOfKey(keys[0], 6))!];
    const sut = new SendLanes(6, 100);
    const backlog = [1, 2, 3, 4].map(() => message(stuckKey, 20));
    backlog.forEach((m) => sut.push(m));
    const fresh = message(healthyKey, 30);
    sut.push(fresh);
    expect(sut.bytes).toBeLessThanOrEqual(100);
    expect(sut.dropped).toBe(1);
    expect(sut.lanes[partitionOfKey(stuckKey, 6)].peek(10, 1000)).toEqual(backlog.slice(1));
    expect(sut.lanes[partitionOfKey(healthyKey, 6)].peek(10, 1000)).toEqual([fresh]);
  });
});
