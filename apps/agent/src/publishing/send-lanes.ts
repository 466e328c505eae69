import { Partitioners } from 'kafkajs';
import { BoundedBuffer, PendingMessage } from './bounded-buffer';

const partitionerForKeys = Partitioners.DefaultPartitioner();

/**
 * The lane of a key: the metrics-topic partition kafkajs's default partitioner sends the key to,
 * when the topic has `laneCount` partitions. So each lane feeds one partition, and one key always
 * travels the same lane, in order.
 */
export function laneOfKey(key: string, laneCount: number): number {
  const partitionMetadata = Array.from({ length: laneCount }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));
  return partitionerForKeys({ topic: 'lanes', partitionMetadata, message: { key, value: null } });
}

/**
 * The agent's unsent messages, split into one FIFO per metrics-topic partition. A partition whose
 * leader hangs holds back only its own lane: the others keep publishing (with one queue, a hung
 * broker delayed every later batch, the one saying it is down included, by 20 s or more).
 * The byte cap is shared; past it the oldest message of the fullest lane goes first, so a stuck
 * partition loses its own backlog before the healthy ones lose anything.
 */
export class SendLanes {
  readonly lanes: BoundedBuffer[];

  constructor(
    laneCount: number,
    private readonly maxBytes: number,
  ) {
    this.lanes = Array.from({ length: laneCount }, () => new BoundedBuffer(Infinity));
  }

  get length(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.length, 0);
  }

  get bytes(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.bytes, 0);
  }

  get dropped(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.dropped, 0);
  }

  /** Queues the message in its key's lane; returns the lane's index. */
  push(message: PendingMessage): number {
    const index = laneOfKey(message.key, this.lanes.length);
    this.lanes[index].push(message);
    let bytes = this.bytes;
    while (bytes > this.maxBytes && this.length > 1) {
      const fullest = this.lanes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      const before = fullest.bytes;
      fullest.dropOldest();
      bytes -= before - fullest.bytes;
    }
    return index;
  }
}
