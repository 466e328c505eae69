import { AlertEvent, AnomalyEvent, Channel, CLOSE_CODES, LiveSample, RollupEvent } from '@doflamingo/contracts';
import { SeriesPredicate } from '../live/series-filter';

/** One subscription of one connection. */
export interface ActiveSubscription {
  id: string;
  channel: Channel;
  predicate: SeriesPredicate;
  resolution?: RollupEvent['resolution'];
  /** Latest value per series since the last update sent: a slow client gets fewer, fresher updates. */
  pending: Map<string, LiveSample>;
}

/** The socket as a session needs it: `ws`'s WebSocket fits. */
export interface SessionSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
}

export interface SessionLimits {
  maxSubscriptions: number;
  bufferMaxBytes: number;
  slowGraceMs: number;
}

const OPEN = 1;

/**
 * What every connection has in common, whatever it speaks (JSON frames or STOMP): its
 * subscriptions, updates coalesced per series between ticks, and the slow-client rule — while the
 * socket's unsent bytes are over the cap nothing more is queued on it (updates keep coalescing to
 * the latest value per series), and past the grace period the client is disconnected.
 */
export abstract class ClientSession {
  readonly subscriptions = new Map<string, ActiveSubscription>();
  private overCapSince?: number;
  closed = false;
  /** Frames not sent because the client was over its buffer cap (for metrics and tests). */
  skippedFlushes = 0;
  /** Set when the session was cut off for being too slow: the close reason. */
  cutOff?: string;

  constructor(
    protected readonly socket: SessionSocket,
    protected readonly limits: SessionLimits,
    readonly remote: string,
  ) {}

  /** Sends the coalesced updates of every subscription, unless the client is too far behind. */
  flush(now: number): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > this.limits.bufferMaxBytes) {
      this.overCapSince ??= now;
      this.skippedFlushes++;
      if (now - this.overCapSince >= this.limits.slowGraceMs) this.disconnectSlow(now - this.overCapSince);
      return;
    }
    this.overCapSince = undefined;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.pending.size === 0) continue;
      const samples = [...subscription.pending.values()];
      subscription.pending.clear();
      this.deliverSamples(subscription, 'update', samples);
    }
  }

  enqueue(subscription: ActiveSubscription, key: string, sample: LiveSample): void {
    subscription.pending.set(key, sample);
  }

  /** Rollups, alerts and anomalies are rare and not coalesced; a client over its cap skips rollups but still gets alerts and anomalies. */
  offerRollups(subscription: ActiveSubscription, windows: RollupEvent[]): void {
    if (this.socket.readyState !== OPEN || this.socket.bufferedAmount > this.limits.bufferMaxBytes) return;
    this.deliverRollups(subscription, windows);
  }

  offerAlerts(subscription: ActiveSubscription, alerts: AlertEvent[]): void {
    if (this.socket.readyState !== OPEN) return;
    this.deliverAlerts(subscription, alerts);
  }

  offerAnomalies(subscription: ActiveSubscription, anomalies: AnomalyEvent[]): void {
    if (this.socket.readyState !== OPEN) return;
    this.deliverAnomalies(subscription, anomalies);
  }

  abstract heartbeat(now: number): void;
  abstract close(code: number, reason: string): void;
  protected abstract deliverSamples(subscription: ActiveSubscription, kind: 'snapshot' | 'update', samples: LiveSample[]): void;
  protected abstract deliverRollups(subscription: ActiveSubscription, windows: RollupEvent[]): void;
  protected abstract deliverAlerts(subscription: ActiveSubscription, alerts: AlertEvent[]): void;
  protected abstract deliverAnomalies(subscription: ActiveSubscription, anomalies: AnomalyEvent[]): void;

  /**
   * The close frame would queue behind everything the client is not reading, so after sending it
   * the connection is dropped: a client that reads again sees code 4008, one that never does 1006.
   */
  private disconnectSlow(overForMs: number): void {
    this.cutOff = `too slow: over ${this.limits.bufferMaxBytes} bytes unsent for ${Math.round(overForMs / 1000)} s`;
    this.close(CLOSE_CODES.tooSlow, this.cutOff);
    setTimeout(() => this.socket.terminate?.(), 1000).unref();
  }

  protected sendRaw(data: string): void {
    if (this.socket.readyState === OPEN) this.socket.send(data);
  }
}
