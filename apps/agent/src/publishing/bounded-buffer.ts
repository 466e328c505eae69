/** A message waiting to be published. */
export interface PendingMessage {
  key: string;
  value: Buffer;
}

/**
 * FIFO of messages capped by total bytes. When Kafka is unreachable the agent keeps collecting;
 * past the cap the oldest messages go first (the newest state matters most) and are counted.
 * Messages leave only when `remove` confirms they were published (at-least-once).
 */
export class BoundedBuffer {
  private readonly queue: PendingMessage[] = [];
  private head = 0;
  private totalBytes = 0;
  dropped = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.totalBytes;
  }

  get length(): number {
    return this.queue.length - this.head;
  }

  push(message: PendingMessage): void {
    this.queue.push(message);
    this.totalBytes += size(message);
    while (this.totalBytes > this.maxBytes && this.length > 1) this.dropOldest();
  }

  /** The oldest messages, up to `maxCount` and `maxBytes` (always at least one), left in place. */
  peek(maxCount: number, maxBytes: number): PendingMessage[] {
    const batch: PendingMessage[] = [];
    let bytes = 0;
    for (let i = this.head; i < this.queue.length && batch.length < maxCount; i++) {
      bytes += size(this.queue[i]);
      if (batch.length > 0 && bytes > maxBytes) break;
      batch.push(this.queue[i]);
    }
    return batch;
  }

  /** Removes the given oldest messages once published, unless they were dropped meanwhile. */
  remove(published: PendingMessage[]): void {
    for (const message of published) {
      if (this.queue[this.head] !== message) continue; // dropped while in flight
      this.totalBytes -= size(message);
      this.head++;
    }
    this.compact();
  }

  /** Drops the oldest message (counted in `dropped`); false when empty. */
  dropOldest(): boolean {
    if (this.length === 0) return false;
    this.totalBytes -= size(this.queue[this.head]);
    this.head++;
    this.dropped++;
    this.compact();
    return true;
  }

  private compact(): void {
    // Shift the array only now and then: shifting on every removal is O(n²) for a long queue.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

function size(message: PendingMessage): number {
  return message.value.length + message.key.length;
}
