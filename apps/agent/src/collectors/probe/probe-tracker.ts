/** Per-partition bookkeeping of the end-to-end probe: what was sent, what came back, what got lost. */
export interface PartitionProbeStats {
  broker: number;
  lastProduceLatencyMs?: number;
  lastProduceOk?: boolean;
  lastRoundTripMs?: number;
  sent: number;
  received: number;
  lost: number;
  produceErrors: number;
}

export class ProbeTracker {
  private readonly stats = new Map<number, PartitionProbeStats>();
  /** Messages sent and not yet seen back: sequence → partition, send time, whether acknowledged. */
  private readonly inFlight = new Map<number, { partition: number; sentAt: number; acked: boolean }>();
  private nextSequence = 0;

  constructor(private readonly lossDeadlineMs: number) {}

  sequence(): number {
    return this.nextSequence++;
  }

  /** Called before the send: a fast round trip can bring the message back before its ack is seen. */
  sending(partition: number, broker: number, sequence: number, sentAt: number): void {
    this.of(partition, broker);
    this.inFlight.set(sequence, { partition, sentAt, acked: false });
  }

  acknowledged(partition: number, broker: number, sequence: number, sentAt: number, ackedAt: number): void {
    const stats = this.of(partition, broker);
    stats.sent++;
    stats.lastProduceOk = true;
    stats.lastProduceLatencyMs = ackedAt - sentAt;
    const entry = this.inFlight.get(sequence);
    if (entry) entry.acked = true;
  }

  failed(partition: number, broker: number, sequence: number): void {
    this.inFlight.delete(sequence);
    const stats = this.of(partition, broker);
    stats.produceErrors++;
    stats.lastProduceOk = false;
  }

  /** A probe message came back; duplicates and strangers are ignored. */
  received(sequence: number, receivedAt: number): void {
    const sent = this.inFlight.get(sequence);
    if (!sent) return;
    this.inFlight.delete(sequence);
    const stats = this.stats.get(sent.partition);
    if (!stats) return;
    stats.received++;
    stats.lastRoundTripMs = receivedAt - sent.sentAt;
  }

  /** Counts messages older than the deadline as lost, and returns the per-partition view. */
  snapshot(now: number): Map<number, PartitionProbeStats> {
    for (const [sequence, sent] of this.inFlight) {
      // Only acknowledged messages can be lost; an unacknowledged one ends as a failed send.
      if (sent.acked && now - sent.sentAt > this.lossDeadlineMs) {
        this.inFlight.delete(sequence);
        const stats = this.stats.get(sent.partition);
        if (stats) stats.lost++;
      }
    }
    return this.stats;
  }

  private of(partition: number, broker: number): PartitionProbeStats {
    let stats = this.stats.get(partition);
    if (!stats) this.stats.set(partition, (stats = { broker, sent: 0, received: 0, lost: 0, produceErrors: 0 }));
    stats.broker = broker;
    return stats;
  }
}
