import { Partitioners } from 'kafkajs';

const defaultPartitioner = Partitioners.DefaultPartitioner();

/**
 * The partition kafkajs's default (Java-compatible murmur2) partitioner sends a keyed message to,
 * for a topic of `partitions` partitions. Senders that keep one queue per partition use it, so a
 * partition whose leader hangs holds back only its own queue.
 */
export function partitionOfKey(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));
  return defaultPartitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}
