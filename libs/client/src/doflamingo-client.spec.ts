import { AddressInfo } from 'node:net';
import { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { AlertEvent, AnomalyEvent, ClientFrame, clientFrameSchema, LiveSample, ServerFrame, WS_JSON_SUBPROTOCOL } from '@doflamingo/contracts';
import { ConnectionStatus, DoflamingoClient, DoflamingoClientOptions, socketUrl } from './doflamingo-client';
import { DoflamingoClientError } from './client-error';
import { seriesKey } from './live-series-store';
import { ChangeInfo } from './subscription';

/*
 * The client against a tiny real `ws` server that each test scripts frame by frame (the real
 * gateway is covered by an integration test). Delays are small but real.
 */

const WAIT_MS = 3000;

async function waitFor(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class GatewayConnection {
  readonly frames: ClientFrame[] = [];
  private read = 0;
  closedWith: { code: number } | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly requestUrl: string,
    readonly acceptedAt: number,
  ) {
    socket.on('message', (data) => {
      // Every frame the client sends must be valid protocol v1, by the contract's own schema.
      this.frames.push(clientFrameSchema.parse(JSON.parse(data.toString())));
    });
    socket.on('close', (code) => (this.closedWith = { code }));
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  send(frame: ServerFrame): void {
    this.socket.send(JSON.stringify(frame));
  }

  welcome(heartbeatMs = 60_000): void {
    this.send({ type: 'welcome', protocol: 1, heartbeatMs, limits: { maxSubscriptions: 100, maxFrameBytes: 65536 } });
  }

  async nextFrame(): Promise<ClientFrame> {
    await waitFor(() => this.frames.length > this.read, `client frame #${this.read + 1}`);
    return this.frames[this.read++];
  }

  async nextFrames(count: number): Promise<ClientFrame[]> {
    const frames: ClientFrame[] = [];
    for (let i = 0; i < count; i++) frames.push(await this.nextFrame());
    return frames;
  }
}

class ScriptedGateway {
  readonly connections: GatewayConnection[] = [];
  upgradeAttempts = 0;
  private taken = 0;

  private constructor(private readonly server: WebSocketServer) {}

  static async start(options: { refuseUpgradeWith?: number } = {}): Promise<ScriptedGateway> {
    const server = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      handleProtocols: (offered) => (offered.has(WS_JSON_SUBPROTOCOL) ? WS_JSON_SUBPROTOCOL : false),
      verifyClient: (_info: unknown, done: (ok: boolean, code?: number, message?: string) => void) => {
        gateway.upgradeAttempts++;
        if (options.refuseUpgradeWith) done(false, options.refuseUpgradeWith, 'refused');
        else done(true);
      },
    });
    const gateway = new ScriptedGateway(server);
    server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      gateway.connections.push(new GatewayConnection(socket, request.url ?? '', Date.now()));
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return gateway;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws`;
  }

  async nextConnection(): Promise<GatewayConnection> {
    await waitFor(() => this.connections.length > this.taken, `connection #${this.taken + 1}`);
    return this.connections[this.taken++];
  }

  async stop(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function sample(metric: string, labels: Record<string, string>, value: number, ts: number, cluster = 'prod'): LiveSample {
  return { cluster, metric, labels, value, ts };
}

function alert(id: string, state: AlertEvent['state'], at: number): AlertEvent {
  return { schemaVersion: 1, id, rule: 'under_replicated', state, severity: 'critical', cluster: 'prod', labels: { topic: id }, message: `${id} is ${state}`, value: 1, startsAt: 100, at };
}

function anomaly(metric: string, at: number): AnomalyEvent {
  return { schemaVersion: 1, cluster: 'prod', metric, labels: {}, at, value: 500, basis: 'value', expected: { low: 90, center: 100, high: 110 }, score: 240, direction: 'high', detector: 'ewma-mad(k=6,window=60)' };
}

/** `metric{labels}=value` lines, sorted: an independent view of what a store holds. */
function lines(samples: readonly LiveSample[]): string[] {
  return samples.map((s) => `${s.cluster}/${s.metric}${JSON.stringify(Object.fromEntries(Object.entries(s.labels).sort()))}=${s.value}`).sort();
}

let gateway: ScriptedGateway;
const clients: DoflamingoClient[] = [];

function createSut(overrides: Partial<DoflamingoClientOptions> = {}) {
  const statuses: ConnectionStatus[] = [];
  const errors: DoflamingoClientError[] = [];
  const sut = new DoflamingoClient({
    url: gateway.url,
    token: 'k3y with spaces&=',
    WebSocket,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200, stableAfterMs: 10_000 },
    random: () => 0.5,
    ...overrides,
  });
  sut.onState((status) => statuses.push(status));
  sut.onError((error) => errors.push(error));
  clients.push(sut);
  return { sut, statuses, errors };
}

beforeEach(async () => {
  gateway = await ScriptedGateway.start();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await gateway.stop();
});

describe('DoflamingoClient', () => {
  it('connects with the token and subprotocol, subscribes with the filter, and merges the snapshot with later updates', async () => {
    const { sut, errors } = createSut();
    const changes: Array<{ values: number[]; info: ChangeInfo<LiveSample> }> = [];
    // Subscribed before connecting: sent once the gateway has welcomed the client.
    const sub = sut.subscribe(
      { channel: 'metrics', cluster: 'prod', metric: 'kafka_*', labels: { broker: '1' } },
      { onChange: (changed, info) => changes.push({ values: changed.map((s) => s.value), info }) },
    );
    sut.connect();
    const conn = await gateway.nextConnection();
    expect(conn.protocol).toBe('doflamingo.v1.json');
    expect(new URL(conn.requestUrl, 'ws://x').searchParams.get('access_token')).toBe('k3y with spaces&=');
    expect(sut.state).toBe('connecting');
    conn.welcome();
    expect(await conn.nextFrame()).toEqual({ op: 'subscribe', id: sub.id, channel: 'metrics', cluster: 'prod', metric: 'kafka_*', labels: { broker: '1' } });
    expect(sut.state).toBe('open');

    conn.send({ type: 'subscribed', id: sub.id, channel: 'metrics' });
    conn.send({
      type: 'snapshot',
      id: sub.id,
      samples: [sample('kafka_bytes_in', { broker: '1', topic: 't' }, 1, 1000), sample('kafka_isr', { broker: '1' }, 5, 1000)],
    });
    conn.send({
      type: 'update',
      id: sub.id,
      samples: [
        sample('kafka_bytes_in', { topic: 't', broker: '1' }, 2, 2000), // same series, labels in another order
        sample('kafka_lag', { broker: '1' }, 7, 2000), // new series
        sample('kafka_isr', { broker: '1' }, 99, 500), // older than what is held: a replay
      ],
    });
    await waitFor(() => changes.length === 2, 'snapshot and update');

    expect(changes[0]).toEqual({ values: [1, 5], info: { reason: 'snapshot', removed: [] } });
    expect(changes[1]).toEqual({ values: [2, 7], info: { reason: 'update', removed: [] } });
    expect(lines(sub.values())).toEqual(['prod/kafka_bytes_in{"broker":"1","topic":"t"}=2', 'prod/kafka_isr{"broker":"1"}=5', 'prod/kafka_lag{"broker":"1"}=7']);
    expect(sub.get(seriesKey({ cluster: 'prod', metric: 'kafka_bytes_in', labels: { topic: 't', broker: '1' } }))?.value).toBe(2);
    expect(sub.state).toBe('live');
    expect(errors).toEqual([]);
  });

  it('after the gateway drops the connection, reconnects with backoff, resubscribes under the same ids, and the new snapshot replaces the store', async () => {
    const { sut, statuses } = createSut();
    const metricChanges: Array<ChangeInfo<LiveSample>> = [];
    const metrics = sut.subscribe({ channel: 'metrics', metric: 'zk_*' }, { onChange: (_changed, info) => metricChanges.push(info) });
    const alerts = sut.subscribe({ channel: 'alerts', cluster: 'prod' });
    sut.connect();
    const first = await gateway.nextConnection();
    first.welcome();
    const firstFrames = await first.nextFrames(2);
    first.send({ type: 'subscribed', id: metrics.id, channel: 'metrics' });
    first.send({ type: 'snapshot', id: metrics.id, samples: [sample('zk_a', {}, 1, 10), sample('zk_b', {}, 2, 10)] });
    first.send({ type: 'subscribed', id: alerts.id, channel: 'alerts' });
    first.send({ type: 'alerts', id: alerts.id, alerts: [alert('x', 'firing', 100)] });
    await waitFor(() => metrics.size === 2 && alerts.size === 1, 'first snapshots');

    const droppedAt = Date.now();
    first.socket.terminate();
    await waitFor(() => sut.state === 'reconnecting', 'reconnecting');
    // While disconnected the stores keep the last values, marked as not live.
    expect(metrics.state).toBe('pending');
    expect(lines(metrics.values())).toEqual(['prod/zk_a{}=1', 'prod/zk_b{}=2']);

    const second = await gateway.nextConnection();
    // First retry: ceiling = initialDelayMs = 20, random 0.5 → 10 + 0.5 × 10 = 15 ms.
    const retry = statuses.find((s) => s.state === 'reconnecting' && s.retryInMs !== undefined);
    expect(retry).toMatchObject({ attempt: 1, retryInMs: 15, lastError: { code: 'connection_lost' } });
    expect(second.acceptedAt - droppedAt).toBeGreaterThanOrEqual(15 - 1);

    second.welcome();
    const secondFrames = await second.nextFrames(2);
    expect(secondFrames).toEqual(firstFrames); // same ids, same filters
    expect(new Set(secondFrames.map((f) => (f as { id: string }).id))).toEqual(new Set([metrics.id, alerts.id]));

    second.send({ type: 'subscribed', id: metrics.id, channel: 'metrics' });
    second.send({ type: 'snapshot', id: metrics.id, samples: [sample('zk_b', {}, 3, 20), sample('zk_c', {}, 4, 20)] });
    second.send({ type: 'subscribed', id: alerts.id, channel: 'alerts' });
    second.send({ type: 'alerts', id: alerts.id, alerts: [alert('y', 'firing', 150), alert('x', 'resolved', 200)] });
    await waitFor(() => metricChanges.length === 2 && alerts.get('y') !== undefined, 'second snapshots');

    expect(lines(metrics.values())).toEqual(['prod/zk_b{}=3', 'prod/zk_c{}=4']); // zk_a disappeared while disconnected
    expect(metricChanges[1].reason).toBe('snapshot');
    expect(lines(metricChanges[1].removed)).toEqual(['prod/zk_a{}=1']);
    expect(alerts.values().map((a) => `${a.id}:${a.state}`)).toEqual(['x:resolved', 'y:firing']); // newest first
    expect(metrics.state).toBe('live');
    expect(sut.state).toBe('open');
  });

  it('delivers anomalies as events: the first frame after each (re)subscribe is the snapshot, later ones updates', async () => {
    const { sut, errors } = createSut();
    const changes: Array<{ metrics: string[]; reason: string }> = [];
    const sub = sut.subscribe({ channel: 'anomalies', cluster: 'prod' }, { onChange: (changed, info) => changes.push({ metrics: changed.map((a) => a.metric), reason: info.reason }) });
    sut.connect();
    const first = await gateway.nextConnection();
    first.welcome();
    expect(await first.nextFrame()).toEqual({ op: 'subscribe', id: sub.id, channel: 'anomalies', cluster: 'prod' });
    first.send({ type: 'subscribed', id: sub.id, channel: 'anomalies' });
    first.send({ type: 'anomalies', id: sub.id, anomalies: [anomaly('a', 1)] });
    first.send({ type: 'anomalies', id: sub.id, anomalies: [anomaly('b', 2)] });
    await waitFor(() => changes.length === 2, 'snapshot and one anomaly');
    first.socket.terminate();

    const second = await gateway.nextConnection();
    second.welcome();
    await second.nextFrame();
    second.send({ type: 'subscribed', id: sub.id, channel: 'anomalies' });
    second.send({ type: 'anomalies', id: sub.id, anomalies: [] });
    second.send({ type: 'anomalies', id: sub.id, anomalies: [anomaly('c', 3)] });
    await waitFor(() => changes.length === 4, 'second snapshot and one anomaly');

    expect(changes).toEqual([
      { metrics: ['a'], reason: 'snapshot' },
      { metrics: ['b'], reason: 'update' },
      { metrics: [], reason: 'snapshot' },
      { metrics: ['c'], reason: 'update' },
    ]);
    expect(sub.state).toBe('live');
    expect(errors).toEqual([]);
  });

  it('backs off more while connections keep failing, within [ceiling/2, ceiling], and starts over after a stable connection', async () => {
    let clock = 0;
    const randoms = [0, 0.999999, 0.3, 0, 1, 0.5];
    let draw = 0;
    const { sut, statuses } = createSut({
      reconnect: { initialDelayMs: 10, maxDelayMs: 40, stableAfterMs: 1000 },
      random: () => randoms[draw++ % randoms.length],
      now: () => clock,
    });
    sut.connect();
    // Five connections closed before the welcome: five failed attempts in a row.
    for (let i = 0; i < 5; i++) (await gateway.nextConnection()).socket.close(1011, 'not ready');
    const stable = await gateway.nextConnection();
    stable.welcome();
    await waitFor(() => sut.state === 'open', 'open');
    clock += 1000; // the connection has now been up for stableAfterMs
    stable.socket.close(1011, 'restart');
    await gateway.nextConnection();

    const delays = statuses.filter((s) => s.state === 'reconnecting' && s.retryInMs !== undefined);
    expect(delays.map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5, 1]);
    expect(delays.slice(0, 5).every((s) => s.lastError?.code === 'connect_failed')).toBe(true);
    expect(delays[5].lastError?.code).toBe('connection_lost');
    // Ceilings double from initialDelayMs up to maxDelayMs, and start over after the stable connection.
    const ceilings = [10, 20, 40, 40, 40, 10];
    delays.forEach((status, i) => {
      expect(status.retryInMs).toBeGreaterThanOrEqual(ceilings[i] / 2);
      expect(status.retryInMs).toBeLessThanOrEqual(ceilings[i]);
    });
    // random 0 gives the floor, random ~1 the ceiling.
    expect(delays[0].retryInMs).toBe(5);
    expect(delays[1].retryInMs).toBe(20);
    expect(delays[3].retryInMs).toBe(20);
    expect(delays[4].retryInMs).toBe(40);
  });

  it('closed with 4001: stops, reports unauthorized and does not reconnect', async () => {
    const { sut, errors } = createSut();
    sut.connect();
    const conn = await gateway.nextConnection();
    conn.welcome();
    await waitFor(() => sut.state === 'open', 'open');
    conn.socket.close(4001, 'API key not valid');
    await waitFor(() => sut.state === 'closed', 'closed');

    expect(sut.lastError).toMatchObject({ code: 'unauthorized', fatal: true, closeCode: 4001 });
    expect(errors.map((e) => e.code)).toEqual(['unauthorized']);
    await sleep(150); // several retry delays' worth
    expect(gateway.connections).toHaveLength(1);
  });

  it('refused at the upgrade with HTTP 401: stops after one attempt (Node sees the status)', async () => {
    await gateway.stop();
    gateway = await ScriptedGateway.start({ refuseUpgradeWith: 401 });
    const { sut, errors } = createSut();
    sut.connect();
    await waitFor(() => sut.state === 'closed', 'closed');
    await sleep(150);

    expect(sut.lastError).toMatchObject({ code: 'unauthorized', httpStatus: 401, fatal: true });
    expect(errors.map((e) => e.code)).toEqual(['unauthorized']);
    expect(gateway.upgradeAttempts).toBe(1);
  });

  it('refused at the upgrade with HTTP 503: keeps trying', async () => {
    await gateway.stop();
    gateway = await ScriptedGateway.start({ refuseUpgradeWith: 503 });
    const { sut } = createSut();
    sut.connect();
    await waitFor(() => gateway.upgradeAttempts >= 3, 'three attempts');
    expect(sut.state).toBe('reconnecting');
    expect(sut.lastError).toMatchObject({ code: 'connect_failed', httpStatus: 503, fatal: false });
  });

  it.each([
    [4008, 'too slow'],
    [1001, 'going away'],
  ])('closed with %i (%s): reconnects', async (code) => {
    const { sut } = createSut();
    const sub = sut.subscribe({ channel: 'rollups', resolution: '1m' });
    sut.connect();
    const first = await gateway.nextConnection();
    first.welcome();
    await first.nextFrame();
    first.socket.close(code, 'bye');
    const second = await gateway.nextConnection();
    second.welcome();

    expect(await second.nextFrame()).toEqual({ op: 'subscribe', id: sub.id, channel: 'rollups', resolution: '1m' });
    expect(sut.lastError).toMatchObject({ code: 'connection_lost', closeCode: code, fatal: false });
    expect(sut.state).toBe('open');
  });

  it('treats a connection silent for 2.5 heartbeat intervals as dead and reconnects', async () => {
    const { sut, statuses } = createSut();
    sut.connect();
    const first = await gateway.nextConnection();
    const welcomedAt = Date.now();
    first.welcome(40); // silence limit: 100 ms
    const second = await gateway.nextConnection();

    expect(second.acceptedAt - welcomedAt).toBeGreaterThanOrEqual(100 - 2);
    expect(statuses.find((s) => s.state === 'reconnecting')?.lastError?.code).toBe('heartbeat_timeout');
    await waitFor(() => first.closedWith !== undefined, 'first socket closed');
  });

  it('keeps a connection whose heartbeats arrive', async () => {
    const { sut } = createSut();
    sut.connect();
    const conn = await gateway.nextConnection();
    conn.welcome(40);
    const beat = setInterval(() => conn.send({ type: 'heartbeat', ts: Date.now() }), 30);
    try {
      await sleep(300); // three silence limits
    } finally {
      clearInterval(beat);
    }
    expect(gateway.connections).toHaveLength(1);
    expect(sut.state).toBe('open');
  });

  it('unsubscribe sends the frame, stops callbacks, and the subscription is not sent again after a reconnect', async () => {
    const { sut } = createSut();
    const seen: number[] = [];
    const gone = sut.subscribe({ channel: 'metrics', metric: 'a' }, { onChange: (changed) => seen.push(...changed.map((s) => s.value)) });
    const kept = sut.subscribe({ channel: 'metrics', metric: 'b' });
    sut.connect();
    const first = await gateway.nextConnection();
    first.welcome();
    await first.nextFrames(2);
    first.send({ type: 'subscribed', id: gone.id, channel: 'metrics' });
    first.send({ type: 'snapshot', id: gone.id, samples: [sample('a', {}, 1, 1)] });
    await waitFor(() => seen.length === 1, 'snapshot');

    gone.unsubscribe();
    expect(await first.nextFrame()).toEqual({ op: 'unsubscribe', id: gone.id });
    expect(gone.state).toBe('closed');
    // Frames already on their way when the gateway reads the unsubscribe.
    first.send({ type: 'update', id: gone.id, samples: [sample('a', {}, 2, 2)] });
    first.send({ type: 'unsubscribed', id: gone.id });
    first.send({ type: 'subscribed', id: kept.id, channel: 'metrics' });
    first.send({ type: 'snapshot', id: kept.id, samples: [sample('b', {}, 9, 1)] });
    await waitFor(() => kept.size === 1, 'kept snapshot');
    expect(seen).toEqual([1]);
    expect(gone.values().map((s) => s.value)).toEqual([1]);

    first.socket.terminate();
    const second = await gateway.nextConnection();
    second.welcome();
    expect(await second.nextFrame()).toMatchObject({ op: 'subscribe', id: kept.id });
    await sleep(50);
    expect(second.frames).toHaveLength(1);
  });

  it('gives a refused subscription its error and does not send it again; an error without id goes to the client', async () => {
    const { sut, errors } = createSut();
    const subErrors: DoflamingoClientError[] = [];
    const bad = sut.subscribe({ channel: 'metrics', metric: '[' }, { onError: (error) => subErrors.push(error) });
    const good = sut.subscribe({ channel: 'alerts' });
    sut.connect();
    const first = await gateway.nextConnection();
    first.welcome();
    await first.nextFrames(2);
    first.send({ type: 'error', code: 'bad_pattern', message: 'metric: unclosed [', id: bad.id });
    first.send({ type: 'error', code: 'bad_json', message: 'not JSON' });
    await waitFor(() => subErrors.length === 1 && errors.length === 1, 'errors');

    expect(subErrors[0]).toMatchObject({ code: 'bad_pattern', subscriptionId: bad.id, message: 'metric: unclosed [' });
    expect(bad.state).toBe('rejected');
    expect(errors[0]).toMatchObject({ code: 'bad_json' });

    first.socket.terminate();
    const second = await gateway.nextConnection();
    second.welcome();
    expect(await second.nextFrame()).toMatchObject({ id: good.id });
    await sleep(50);
    expect(second.frames).toHaveLength(1);
  });

  it('reports a callback that throws and keeps delivering to the others', async () => {
    const { sut, errors } = createSut();
    const sub = sut.subscribe({ channel: 'metrics' }, { onChange: () => { throw new Error('boom'); } });
    const seen: number[] = [];
    sub.onChange((changed) => seen.push(changed.length));
    sut.connect();
    const conn = await gateway.nextConnection();
    conn.welcome();
    await conn.nextFrame();
    conn.send({ type: 'snapshot', id: sub.id, samples: [sample('m', {}, 1, 1)] });
    conn.send({ type: 'update', id: sub.id, samples: [sample('m', {}, 2, 2)] });
    await waitFor(() => seen.length === 2, 'two changes');

    expect(errors.map((e) => `${e.code}:${e.subscriptionId}`)).toEqual([`handler_failed:${sub.id}`, `handler_failed:${sub.id}`]);
    expect(sut.state).toBe('open');
  });

  it('ignores frames it cannot read, reporting them, and stays connected', async () => {
    const { sut, errors } = createSut();
    sut.connect();
    const conn = await gateway.nextConnection();
    conn.welcome();
    conn.socket.send('not json');
    conn.socket.send(JSON.stringify({ type: 'update', id: 's1' }));
    conn.socket.send(JSON.stringify({ type: 'from-protocol-v1.1', id: 's1' })); // unknown types: ignored silently
    await waitFor(() => errors.length === 2, 'two errors');
    await sleep(20);
    expect(errors.map((e) => e.code)).toEqual(['bad_server_frame', 'bad_server_frame']);
    expect(sut.state).toBe('open');
  });

  it('close() stops reconnecting; connect() again resubscribes', async () => {
    const { sut, statuses } = createSut();
    const sub = sut.subscribe({ channel: 'metrics' });
    sut.connect();
    const first = await gateway.nextConnection();
    first.welcome();
    await first.nextFrame();
    sut.close();
    await waitFor(() => first.closedWith !== undefined, 'server sees the close');
    await sleep(100);
    expect(gateway.connections).toHaveLength(1);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'open', 'closed']);

    sut.connect();
    const second = await gateway.nextConnection();
    second.welcome();
    expect(await second.nextFrame()).toMatchObject({ op: 'subscribe', id: sub.id });
  });

  it('a welcome with another protocol version stops the client', async () => {
    const { sut, errors } = createSut();
    sut.connect();
    const conn = await gateway.nextConnection();
    conn.socket.send(JSON.stringify({ type: 'welcome', protocol: 2, heartbeatMs: 1000, limits: { maxSubscriptions: 1, maxFrameBytes: 1 } }));
    await waitFor(() => sut.state === 'closed', 'closed');
    expect(errors.map((e) => e.code)).toEqual(['protocol_mismatch']);
    await sleep(100);
    expect(gateway.connections).toHaveLength(1);
  });

  it('gives up on a connection without a welcome after connectTimeoutMs', async () => {
    const { sut } = createSut({ connectTimeoutMs: 60 });
    sut.connect();
    const first = await gateway.nextConnection();
    await gateway.nextConnection();
    expect(Date.now() - first.acceptedAt).toBeGreaterThanOrEqual(60 - 2);
    expect(sut.lastError?.code).toBe('handshake_timeout');
  });
});

describe('DoflamingoClient options', () => {
  it('needs a WebSocket implementation (Node 20 has no global one)', () => {
    expect((globalThis as { WebSocket?: unknown }).WebSocket).toBeUndefined();
    expect(() => new DoflamingoClient({ url: 'ws://localhost:8080/ws' })).toThrow(TypeError);
  });

  it('refuses bad URLs and reconnect settings', () => {
    expect(() => new DoflamingoClient({ url: 'ftp://x/ws', WebSocket })).toThrow(TypeError);
    expect(() => new DoflamingoClient({ url: 'ws://x/ws', WebSocket, reconnect: { initialDelayMs: 100, maxDelayMs: 50 } })).toThrow(RangeError);
  });

  it('builds the socket URL: http(s) → ws(s), token as access_token next to the existing query', () => {
    const url = new URL(socketUrl('https://gateway.example:8443/ws?x=1', 'a b/c'));
    expect(url.protocol).toBe('wss:');
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.get('access_token')).toBe('a b/c');
    expect(socketUrl('ws://gateway.example/ws')).toBe('ws://gateway.example/ws');
  });
});
