import { PartitionMetadata, Partitioners } from 'kafkajs';

const defaultPartitioner = Partitioners.DefaultPartitioner();
/** The partitioner only counts the entries; one list per partition count, not one per message. */
const metadataByCount = new Map<number, PartitionMetadata[]>();

/**
 * The partition kafkajs's default (Java-compatible murmur2) partitioner sends a keyed message to,
 * for a topic of `partitions` partitions. Senders that keep one queue per partition use it, so a
 * partition whose leader hangs holds back only its own queue.
 */
export function partitionOfKey(key: string, partitions: number): number {
  let partitionMetadata = metadataByCount.get(partitions);
  if (!partitionMetadata) {
    partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));
    metadataByCount.set(partitions, partitionMetadata);
  }
  return defaultPartitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}
