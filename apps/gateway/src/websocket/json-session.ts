import { AlertEvent, AnomalyEvent, clientFrameSchema, ErrorCode, LiveSample, RollupEvent, ServerFrame, WS_PROTOCOL_VERSION } from '@doflamingo/contracts';
import { BadPatternError, compileFilter } from '../live/series-filter';
import { ActiveSubscription, ClientSession, SessionLimits, SessionSocket } from './client-session';
import { SubscriptionHub } from './subscription-hub';

export interface JsonSessionOptions extends SessionLimits {
  maxFrameBytes: number;
  heartbeatMs: number;
}

/**
 * A connection speaking Doflamingo's JSON protocol v1 (docs/websocket.md). Every bad request gets
 * a typed error frame and the connection stays usable.
 */
export class JsonSession extends ClientSession {
  constructor(
    socket: SessionSocket,
    private readonly options: JsonSessionOptions,
    private readonly hub: SubscriptionHub,
    remote: string,
  ) {
    super(socket, options, remote);
    this.send({ type: 'welcome', protocol: WS_PROTOCOL_VERSION, heartbeatMs: options.heartbeatMs, limits: { maxSubscriptions: options.maxSubscriptions, maxFrameBytes: options.maxFrameBytes } });
  }

  receive(data: Buffer | string): void {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > this.options.maxFrameBytes) {
      return this.error('frame_too_large', `frame of ${size} bytes is over the limit of ${this.options.maxFrameBytes}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch (error) {
      return this.error('bad_json', `not JSON: ${(error as Error).message}`);
    }
    const op = (parsed as { op?: unknown } | null)?.op;
    if (typeof op !== 'string' || !['subscribe', 'unsubscribe', 'ping'].includes(op)) {
      return this.error('unknown_op', `unknown op ${JSON.stringify(op ?? null)}: expected subscribe, unsubscribe or ping`);
    }
    const checked = clientFrameSchema.safeParse(parsed);
    const id = typeof (parsed as { id?: unknown }).id === 'string' ? (parsed as { id: string }).id : undefined;
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return this.error('bad_frame', `${op}: ${issue.path.join('.') || '(frame)'}: ${issue.message}`, id);
    }
    const frame = checked.data;
    if (frame.op === 'ping') return this.send({ type: 'pong', nonce: frame.nonce });
    if (frame.op === 'unsubscribe') {
      const subscription = this.subscriptions.get(frame.id);
      if (!subscription) return this.error('unknown_subscription', `no subscription with id ${JSON.stringify(frame.id)}`, frame.id);
      this.subscriptions.delete(frame.id);
      this.hub.unsubscribed(this, subscription);
      return this.send({ type: 'unsubscribed', id: frame.id });
    }
    if (this.subscriptions.has(frame.id)) return this.error('duplicate_subscription', `subscription id ${JSON.stringify(frame.id)} is already in use`, frame.id);
    if (this.subscriptions.size >= this.options.maxSubscriptions) {
      return this.error('too_many_subscriptions', `at most ${this.options.maxSubscriptions} subscriptions per connection`, frame.id);
    }
    let predicate;
    try {
      predicate = compileFilter(frame);
    } catch (error) {
      if (error instanceof BadPatternError) return this.error('bad_pattern', error.message, frame.id);
      throw error;
    }
    const subscription: ActiveSubscription = { id: frame.id, channel: frame.channel, predicate, resolution: frame.resolution, pending: new Map() };
    this.subscriptions.set(frame.id, subscription);
    this.send({ type: 'subscribed', id: frame.id, channel: frame.channel });
    const snapshot = this.hub.subscribed(this, subscription);
    if (frame.channel === 'alerts') this.send({ type: 'alerts', id: frame.id, alerts: snapshot as AlertEvent[] });
    else if (frame.channel === 'anomalies') this.send({ type: 'anomalies', id: frame.id, anomalies: snapshot as AnomalyEvent[] });
    else if (frame.channel === 'metrics') this.send({ type: 'snapshot', id: frame.id, samples: snapshot as LiveSample[] });
  }

  heartbeat(now: number): void {
    this.send({ type: 'heartbeat', ts: now });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }

  protected deliverSamples(subscription: ActiveSubscription, kind: 'snapshot' | 'update', samples: LiveSample[]): void {
    this.send({ type: kind, id: subscription.id, samples });
  }

  protected deliverRollups(subscription: ActiveSubscription, windows: RollupEvent[]): void {
    this.send({ type: 'rollup', id: subscription.id, windows });
  }

  protected deliverAlerts(subscription: ActiveSubscription, alerts: AlertEvent[]): void {
    this.send({ type: 'alerts', id: subscription.id, alerts });
  }

  protected deliverAnomalies(subscription: ActiveSubscription, anomalies: AnomalyEvent[]): void {
    this.send({ type: 'anomalies', id: subscription.id, anomalies });
  }


  private error(code: ErrorCode, message: string, id?: string): void {
    this.send(id === undefined ? { type: 'error', code, message } : { type: 'error', code, message, id });
  }

  private send(frame: ServerFrame): void {
    this.sendRaw(JSON.stringify(frame));
  }
}
