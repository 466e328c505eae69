import { partitionOfKey } from '@doflamingo/kafka';
import { BoundedBuffer, PendingMessage } from './bounded-buffer';

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

  /** Queues the message in the lane of the partition its key goes to; returns the lane's index. */
  push(message: PendingMessage): number {
    const index = partitionOfKey(message.key, this.lanes.length);
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
