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
  /** Acknowledged messages not yet seen back: sequence → partition and send time. */
  private readonly inFlight = new Map<number, { partition: number; sentAt: number }>();
  private nextSequence = 0;

  constructor(private readonly lossDeadlineMs: number) {}

  sequence(): number {
    return this.nextSequence++;
  }

  acknowledged(partition: number, broker: number, sequence: number, sentAt: number, ackedAt: number): void {
    const stats = this.of(partition, broker);
    stats.sent++;
    stats.lastProduceOk = true;
    stats.lastProduceLatencyMs = ackedAt - sentAt;
    this.inFlight.set(sequence, { partition, sentAt });
  }

  failed(partition: number, broker: number): void {
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
      if (now - sent.sentAt > this.lossDeadlineMs) {
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
