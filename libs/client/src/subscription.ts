import type { AlertEvent, AnomalyEvent, Channel, LiveSample, RollupEvent, RollupResolutionName } from '@doflamingo/contracts';
import { AlertStore } from './alert-store';
import { DoflamingoClientError } from './client-error';
import { LiveSeriesStore, type StoreChange } from './live-series-store';

/** What each channel delivers. */
export interface ChannelItems {
  metrics: LiveSample;
  rollups: RollupEvent;
  alerts: AlertEvent;
  anomalies: AnomalyEvent;
}

/** What to subscribe to: every given glob must match (`*`, `?`, `[abc]`, `{a,b}`); a missing one matches everything. */
export interface SubscribeRequest<C extends Channel = Channel> {
  channel: C;
  cluster?: string;
  metric?: string;
  /** Label name → glob. A series without that label does not match. */
  labels?: Record<string, string>;
  /** Rollups only: which window size (default both). */
  resolution?: RollupResolutionName;
}

export interface ChangeInfo<T> {
  /** `snapshot`: the store was replaced (first subscribe, and again after every reconnect). */
  reason: 'snapshot' | 'update';
  /** Items the snapshot no longer contains (metrics, alerts), or evicted alerts. */
  removed: readonly T[];
}

export type ChangeListener<T> = (changed: readonly T[], info: ChangeInfo<T>) => void;
export type ErrorListener = (error: DoflamingoClientError) => void;

export interface SubscriptionHandlers<T> {
  /** metrics: series with a new value; alerts: alerts that are new or changed state; rollups: closed windows; anomalies: new anomalies (on `snapshot`, the gateway's recent ones). */
  onChange?: ChangeListener<T>;
  /** The gateway refused or failed this subscription. Without any error listener the client's `onError` gets it. */
  onError?: ErrorListener;
}

/**
 * `pending`: sent (or waiting for a connection), not yet confirmed; also while reconnecting, when
 * the store holds the last values seen. `live`: confirmed on the current connection.
 * `rejected`: the gateway refused it (see `onError`); it is not sent again. `closed`: unsubscribed.
 */
export type SubscriptionState = 'pending' | 'live' | 'rejected' | 'closed';

export interface Subscription<C extends Channel> {
  /** Chosen by the client; the same on every connection. */
  readonly id: string;
  readonly channel: C;
  readonly request: Readonly<SubscribeRequest<C>>;
  readonly state: SubscriptionState;
  /** Returns a function that removes the listener. */
  onChange(listener: ChangeListener<ChannelItems[C]>): () => void;
  onError(listener: ErrorListener): () => void;
  /** Tells the gateway (when connected) and stops every callback at once. */
  unsubscribe(): void;
}

export interface StoreSubscription<C extends 'metrics' | 'alerts'> extends Subscription<C> {
  /** metrics: the latest sample of every series; alerts: one entry per alert id, newest first. A copy. */
  values(): ChannelItems[C][];
  /** metrics: by `seriesKey(sample)`; alerts: by alert id. */
  get(key: string): ChannelItems[C] | undefined;
  readonly size: number;
}

export type MetricsSubscription = StoreSubscription<'metrics'>;
export type AlertsSubscription = StoreSubscription<'alerts'>;
export type RollupsSubscription = Subscription<'rollups'>;
/** No local store: each anomaly is an event (a chart marks it); the first change after (re)subscribing is the gateway's recent anomalies, with reason `snapshot`. */
export type AnomaliesSubscription = Subscription<'anomalies'>;

/** The client's side of a subscription: its store, its listeners, and where it stands on the current connection. */
export class ClientSubscription<C extends Channel = Channel> implements Subscription<C> {
  private readonly changeListeners = new Set<ChangeListener<ChannelItems[C]>>();
  private readonly errorListeners = new Set<ErrorListener>();
  private readonly metrics?: LiveSeriesStore;
  private readonly alertStore?: AlertStore;
  private current: SubscriptionState = 'pending';
  /** Sent on the current connection and waiting for its snapshot (alerts, anomalies: the first `alerts` / `anomalies` frame). */
  private awaitingSnapshot = false;

  constructor(
    readonly id: string,
    readonly request: Readonly<SubscribeRequest<C>>,
    handlers: SubscriptionHandlers<ChannelItems[C]>,
    options: { maxAlerts: number },
    private readonly hooks: { unsubscribe(id: string): void; report(error: DoflamingoClientError): void },
  ) {
    if (request.channel === 'metrics') this.metrics = new LiveSeriesStore();
    if (request.channel === 'alerts') this.alertStore = new AlertStore(options.maxAlerts);
    if (handlers.onChange) this.changeListeners.add(handlers.onChange);
    if (handlers.onError) this.errorListeners.add(handlers.onError);
  }

  get channel(): C {
    return this.request.channel;
  }

  get state(): SubscriptionState {
    return this.current;
  }

  get size(): number {
    return (this.metrics ?? this.alertStore)?.size ?? 0;
  }

  values(): ChannelItems[C][] {
    return ((this.metrics ?? this.alertStore)?.values() ?? []) as ChannelItems[C][];
  }

  get(key: string): ChannelItems[C] | undefined {
    return (this.metrics ?? this.alertStore)?.get(key) as ChannelItems[C] | undefined;
  }

  onChange(listener: ChangeListener<ChannelItems[C]>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onError(listener: ErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  unsubscribe(): void {
    if (this.current === 'closed') return;
    this.hooks.unsubscribe(this.id);
  }

  // ---- called by the client ----

  /** The subscribe frame went out on a new connection. */
  sent(): void {
    this.current = 'pending';
    this.awaitingSnapshot = true;
  }

  confirmed(): void {
    if (this.current === 'pending') this.current = 'live';
  }

  disconnected(): void {
    if (this.current === 'live') this.current = 'pending';
    this.awaitingSnapshot = false;
  }

  closed(): void {
    this.current = 'closed';
    this.changeListeners.clear();
    this.errorListeners.clear();
  }

  /** The gateway refused the subscribe: it is dead on the server and is not sent again. */
  rejected(error: DoflamingoClientError): void {
    this.current = 'rejected';
    this.fail(error);
  }

  fail(error: DoflamingoClientError): void {
    if (this.errorListeners.size === 0) return this.hooks.report(error);
    for (const listener of [...this.errorListeners]) {
      try {
        listener(error);
      } catch (thrown) {
        this.hooks.report(handlerFailed(this.id, thrown));
      }
    }
  }

  snapshot(samples: readonly LiveSample[]): void {
    if (!this.metrics) return;
    this.awaitingSnapshot = false;
    this.emit(this.metrics.replace(samples) as unknown as StoreChange<ChannelItems[C]>, 'snapshot');
  }

  update(samples: readonly LiveSample[]): void {
    if (!this.metrics) return;
    const change = this.metrics.merge(samples);
    if (change.changed.length > 0) this.emit(change as unknown as StoreChange<ChannelItems[C]>, 'update');
  }

  alerts(alerts: readonly AlertEvent[]): void {
    if (!this.alertStore) return;
    if (this.awaitingSnapshot) {
      this.awaitingSnapshot = false;
      return this.emit(this.alertStore.replace(alerts) as unknown as StoreChange<ChannelItems[C]>, 'snapshot');
    }
    const change = this.alertStore.merge(alerts);
    if (change.changed.length > 0 || change.removed.length > 0) this.emit(change as unknown as StoreChange<ChannelItems[C]>, 'update');
  }

  rollups(windows: readonly RollupEvent[]): void {
    if (this.request.channel !== 'rollups' || windows.length === 0) return;
    this.emit({ changed: windows as unknown as ChannelItems[C][], removed: [] }, 'update');
  }

  anomalies(anomalies: readonly AnomalyEvent[]): void {
    if (this.request.channel !== 'anomalies') return;
    const reason = this.awaitingSnapshot ? 'snapshot' : 'update';
    this.awaitingSnapshot = false;
    if (reason === 'update' && anomalies.length === 0) return;
    this.emit({ changed: anomalies as unknown as ChannelItems[C][], removed: [] }, reason);
  }

  private emit(change: StoreChange<ChannelItems[C]>, reason: 'snapshot' | 'update'): void {
    const info: ChangeInfo<ChannelItems[C]> = { reason, removed: change.removed };
    for (const listener of [...this.changeListeners]) {
      if (this.current === 'closed') return; // a listener unsubscribed
      try {
        listener(change.changed, info);
      } catch (thrown) {
        this.hooks.report(handlerFailed(this.id, thrown));
      }
    }
  }
}

function handlerFailed(subscriptionId: string, thrown: unknown): DoflamingoClientError {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new DoflamingoClientError('handler_failed', `a callback of subscription ${subscriptionId} threw: ${message}`, { subscriptionId, cause: thrown });
}
