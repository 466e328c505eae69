import { AppConfig } from '@doflamingo/config';
import { AnomalyEvent, MetricBatch } from '@doflamingo/contracts';
import { LatestValues, RecentAlerts, RecentAnomalies } from '../live/latest-values.store';
import { JsonSession } from './json-session';
import { SubscriptionHub } from './subscription-hub';

/** A socket that records what is sent and lets a test set how much is still unsent. */
class FakeSocket {
  readonly sent: any[] = [];
  bufferedAmount = 0;
  readyState = 1;
  closedWith?: [number, string];
  terminated = false;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
  }
  terminate() {
    this.terminated = true;
  }
}

describe('JsonSession with the SubscriptionHub', () => {
  function sut() {
    const config = { gateway: { clientTickMs: 100, heartbeatMs: 15000 } } as AppConfig;
    const latest = new LatestValues();
    const anomalies = new RecentAnomalies(3);
    const hub = new SubscriptionHub(config, latest, new RecentAlerts(), anomalies);
    const socket = new FakeSocket();
    const session = new JsonSession(socket, { maxSubscriptions: 2, bufferMaxBytes: 1000, slowGraceMs: 5000, maxFrameBytes: 4096, heartbeatMs: 15000 }, hub, 'test');
    hub.add(session);
    const publish = (timestamp: number, samples: MetricBatch['samples']) =>
      hub.publishSamples(latest.apply({ schemaVersion: 1, cluster: 'c', source: { agentId: 'a', collector: 'x' }, timestamp, samples }));
    return { hub, socket, session, publish, anomalies };
  }
  const frames = (socket: FakeSocket, type: string) => socket.sent.filter((f) => f.type === type);

  it('sends the snapshot of matching series, then only their new values', () => {
    const { socket, session, publish, hub } = sut();
    publish(1000, [{ metric: 'kafka_broker_up', labels: { broker: '1' }, value: 1 }, { metric: 'other', labels: {}, value: 5 }]);
    session.receive(JSON.stringify({ op: 'subscribe', id: 's', channel: 'metrics', metric: 'kafka_*' }));
    expect(frames(socket, 'snapshot')).toEqual([{ type: 'snapshot', id: 's', samples: [{ cluster: 'c', metric: 'kafka_broker_up', labels: { broker: '1' }, value: 1, ts: 1000 }] }]);

    publish(2000, [{ metric: 'kafka_broker_up', labels: { broker: '1' }, value: 0 }, { metric: 'other', labels: {}, value: 6 }]);
    hub.flushAll(2000);
    expect(frames(socket, 'update')).toEqual([{ type: 'update', id: 's', samples: [{ cluster: 'c', metric: 'kafka_broker_up', labels: { broker: '1' }, value: 0, ts: 2000 }] }]);
  });

  it('sends the recent matching anomalies on subscribe, then each new matching one at once', () => {
    const { socket, session, hub, anomalies } = sut();
    const anomaly = (metric: string, at: number): AnomalyEvent => ({
      schemaVersion: 1,
      cluster: 'c',
      metric,
      labels: { broker: '1' },
      at,
      value: 500,
      basis: 'value',
      expected: { low: 90, center: 100, high: 110 },
      score: 240,
      direction: 'high',
      detector: 'ewma-mad(k=6,window=60)',
    });
    // Bounded: of four, the oldest is gone.
    for (const [metric, at] of [['kafka_a', 1], ['kafka_b', 2], ['zookeeper_c', 3], ['kafka_d', 4]] as const) anomalies.apply(anomaly(metric, at));
    session.receive(JSON.stringify({ op: 'subscribe', id: 'an', channel: 'anomalies', metric: 'kafka_*' }));
    expect(frames(socket, 'anomalies')).toEqual([{ type: 'anomalies', id: 'an', anomalies: [anomaly('kafka_b', 2), anomaly('kafka_d', 4)] }]);

    hub.publishAnomaly(anomaly('zookeeper_e', 5));
    hub.publishAnomaly(anomaly('kafka_f', 6));
    expect(frames(socket, 'anomalies').slice(1)).toEqual([{ type: 'anomalies', id: 'an', anomalies: [anomaly('kafka_f', 6)] }]);
  });

  it('coalesces several values of a series between ticks into the latest', () => {
    const { socket, session, publish, hub } = sut();
    session.receive(JSON.stringify({ op: 'subscribe', id: 's', channel: 'metrics' }));
    for (let t = 1; t <= 5; t++) publish(t * 1000, [{ metric: 'm', labels: {}, value: t }]);
    hub.flushAll(6000);
    expect(frames(socket, 'update')).toHaveLength(1);
    expect(frames(socket, 'update')[0].samples).toEqual([expect.objectContaining({ value: 5, ts: 5000 })]);
  });

  it('holds updates while the client is over its buffer cap, then cuts it off after the grace period', () => {
    const { socket, session, publish, hub } = sut();
    session.receive(JSON.stringify({ op: 'subscribe', id: 's', channel: 'metrics' }));
    socket.bufferedAmount = 5000;
    publish(1000, [{ metric: 'm', labels: {}, value: 1 }]);
    hub.flushAll(10_000);
    hub.flushAll(14_000);
    expect(frames(socket, 'update')).toHaveLength(0);
    expect(socket.closedWith).toBeUndefined();
    hub.flushAll(15_000);
    expect(socket.closedWith).toEqual([4008, 'too slow: over 1000 bytes unsent for 5 s']);
  });

  it('recovers when the client catches up before the grace period ends, with the latest value only', () => {
    const { socket, session, publish, hub } = sut();
    session.receive(JSON.stringify({ op: 'subscribe', id: 's', channel: 'metrics' }));
    socket.bufferedAmount = 5000;
    publish(1000, [{ metric: 'm', labels: {}, value: 1 }]);
    hub.flushAll(10_000);
    publish(2000, [{ metric: 'm', labels: {}, value: 2 }]);
    socket.bufferedAmount = 0;
    hub.flushAll(12_000);
    expect(frames(socket, 'update').map((f) => f.samples.map((s: { value: number }) => s.value))).toEqual([[2]]);
    hub.flushAll(30_000);
    expect(socket.closedWith).toBeUndefined();
  });

  it('stops routing to a subscription once unsubscribed, and refuses more than the limit', () => {
    const { socket, session, publish, hub } = sut();
    session.receive(JSON.stringify({ op: 'subscribe', id: 'a', channel: 'metrics' }));
    session.receive(JSON.stringify({ op: 'subscribe', id: 'b', channel: 'metrics' }));
    session.receive(JSON.stringify({ op: 'subscribe', id: 'c', channel: 'metrics' }));
    expect(frames(socket, 'error')).toEqual([{ type: 'error', code: 'too_many_subscriptions', message: 'at most 2 subscriptions per connection', id: 'c' }]);
    publish(1000, [{ metric: 'm', labels: {}, value: 1 }]);
    session.receive(JSON.stringify({ op: 'unsubscribe', id: 'a' }));
    publish(2000, [{ metric: 'm', labels: {}, value: 2 }]);
    hub.flushAll(3000);
    expect(frames(socket, 'update').map((f) => f.id)).toEqual(['b']);
  });
});
