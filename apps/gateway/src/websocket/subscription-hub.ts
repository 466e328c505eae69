import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AlertEvent, AnomalyEvent, CLOSE_CODES, LiveSample, RollupEvent } from '@doflamingo/contracts';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { KeyedSample, LatestValues, RecentAlerts, RecentAnomalies } from '../live/latest-values.store';
import { ActiveSubscription, ClientSession } from './client-session';

type Route = [ClientSession, ActiveSubscription];

/**
 * Routes live data to the sessions that asked for it. For the metrics channel, the sessions and
 * subscriptions interested in each series are remembered (updated as subscriptions come and go),
 * so a sample costs one map lookup rather than a pattern match per subscription. One timer
 * flushes every session each tick; another sends heartbeats.
 */
@Injectable()
export class SubscriptionHub implements OnModuleInit, OnApplicationShutdown {
  readonly sessions = new Set<ClientSession>();
  private readonly routes = new Map<string, Route[]>();
  private timers: NodeJS.Timeout[] = [];
  samplesRouted = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly latest: LatestValues,
    private readonly alerts: RecentAlerts,
    private readonly anomalies: RecentAnomalies,
  ) {}

  onModuleInit(): void {
    const { clientTickMs, heartbeatMs } = this.config.gateway;
    this.timers = [
      setInterval(() => this.flushAll(), clientTickMs),
      setInterval(() => {
        const now = Date.now();
        for (const session of this.sessions) session.heartbeat(now);
      }, heartbeatMs),
    ];
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const session of this.sessions) session.close(CLOSE_CODES.goingAway, 'gateway shutting down');
  }

  add(session: ClientSession): void {
    this.sessions.add(session);
  }

  remove(session: ClientSession): void {
    this.sessions.delete(session);
    for (const subscription of session.subscriptions.values()) this.unroute(session, subscription);
  }

  /** Registers a subscription; returns its snapshot (latest values, recent alerts or recent anomalies). */
  subscribed(session: ClientSession, subscription: ActiveSubscription): LiveSample[] | AlertEvent[] | AnomalyEvent[] {
    if (subscription.channel === 'anomalies') return this.anomalies.list().filter((anomaly) => subscription.predicate(anomaly));
    if (subscription.channel === 'alerts') {
      return this.alerts.list().filter((alert) => subscription.predicate({ cluster: alert.cluster, metric: alert.rule, labels: alert.labels }));
    }
    if (subscription.channel !== 'metrics') return [];
    const snapshot: LiveSample[] = [];
    for (const key of this.routes.keys()) {
      const sample = this.latest.get(key);
      if (sample && subscription.predicate(sample)) this.routes.get(key)!.push([session, subscription]);
    }
    for (const sample of this.latest.matching(subscription.predicate)) snapshot.push(sample);
    return snapshot;
  }

  unsubscribed(session: ClientSession, subscription: ActiveSubscription): void {
    this.unroute(session, subscription);
  }

  publishSamples(samples: KeyedSample[]): void {
    for (const { key, sample } of samples) {
      let routes = this.routes.get(key);
      if (!routes) {
        routes = this.computeRoutes(sample);
        this.routes.set(key, routes);
      }
      for (const [session, subscription] of routes) session.enqueue(subscription, key, sample);
      this.samplesRouted += routes.length;
    }
  }

  publishRollups(windows: RollupEvent[]): void {
    for (const session of this.sessions) {
      for (const subscription of session.subscriptions.values()) {
        if (subscription.channel !== 'rollups') continue;
        const matching = windows.filter((w) => (!subscription.resolution || w.resolution === subscription.resolution) && subscription.predicate(w));
        if (matching.length > 0) session.offerRollups(subscription, matching);
      }
    }
  }

  publishAlert(alert: AlertEvent): void {
    const asSeries = { cluster: alert.cluster, metric: alert.rule, labels: alert.labels };
    for (const session of this.sessions) {
      for (const subscription of session.subscriptions.values()) {
        if (subscription.channel === 'alerts' && subscription.predicate(asSeries)) session.offerAlerts(subscription, [alert]);
      }
    }
  }

  publishAnomaly(anomaly: AnomalyEvent): void {
    for (const session of this.sessions) {
      for (const subscription of session.subscriptions.values()) {
        if (subscription.channel === 'anomalies' && subscription.predicate(anomaly)) session.offerAnomalies(subscription, [anomaly]);
      }
    }
  }

  /** Series the live store forgot are forgotten here too. */
  forgetSeries(keys: Iterable<string>): void {
    for (const key of keys) this.routes.delete(key);
  }

  flushAll(now = Date.now()): void {
    for (const session of this.sessions) session.flush(now);
  }

  private computeRoutes(sample: LiveSample): Route[] {
    const routes: Route[] = [];
    for (const session of this.sessions) {
      for (const subscription of session.subscriptions.values()) {
        if (subscription.channel === 'metrics' && subscription.predicate(sample)) routes.push([session, subscription]);
      }
    }
    return routes;
  }

  private unroute(session: ClientSession, subscription: ActiveSubscription): void {
    if (subscription.channel !== 'metrics') return;
    for (const routes of this.routes.values()) {
      for (let i = routes.length - 1; i >= 0; i--) {
        if (routes[i][0] === session && routes[i][1] === subscription) routes.splice(i, 1);
      }
    }
  }
}
