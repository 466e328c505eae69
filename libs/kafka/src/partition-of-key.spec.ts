import { partitionOfKey } from './partition-of-key';

const keys = Array.from({ length: 60 }, (_, i) => `cluster-a/jmx/broker-${i}`);

describe('partitionOfKey', () => {
  it('gives a key the same partition every time, within range', () => {
    for (const key of keys) {
      const partition = partitionOfKey(key, 6);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(6);
      expect(partitionOfKey(key, 6)).toBe(partition);
    }
  });

  it('spreads keys over every partition', () => {
    expect(new Set(keys.map((key) => partitionOfKey(key, 6))).size).toBe(6);
  });
});

describe('partitionOfKey, like the Java client', () => {
  // Kafka's Utils.murmur2 gives "1" → -1993445489, "12" → 126087238, "123" → -267702483; the Java
  // DefaultPartitioner takes (hash & 0x7fffffff) % partitions.
  it.each([
    ['1', 3],
    ['12', 4],
    ['123', 5],
  ])('sends key %s to partition %i of 6', (key, partition) => {
    expect(partitionOfKey(key, 6)).toBe(partition);
  });
});
