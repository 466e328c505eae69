import type { Channel, ClientFrame, ServerFrame, SubscribeFrame } from '@doflamingo/contracts';
import { checkReconnectOptions, DEFAULT_RECONNECT, reconnectDelay, type ReconnectOptions } from './backoff';
import { DoflamingoClientError } from './client-error';
import {
  ClientSubscription,
  type AlertsSubscription,
  type AnomaliesSubscription,
  type ChannelItems,
  type ErrorListener,
  type MetricsSubscription,
  type RollupsSubscription,
  type SubscribeRequest,
  type Subscription,
  type SubscriptionHandlers,
} from './subscription';

/*
 * Values from libs/contracts are repeated here on purpose: the contracts' index pulls in zod, and
 * this file must build for browsers with nothing but types from it. protocol-constants.spec.ts
 * checks that the copies equal the originals.
 */
/** WebSocket subprotocol of the JSON protocol v1 (`WS_JSON_SUBPROTOCOL`). */
export const JSON_SUBPROTOCOL = 'doflamingo.v1.json';
/** `WS_PROTOCOL_VERSION`. */
export const PROTOCOL_VERSION = 1;
/** `CLOSE_CODES`: what the gateway closes with. */
export const GATEWAY_CLOSE_CODES = { tooSlow: 4008, unauthorized: 4001, goingAway: 1001 } as const;
/** `CHANNELS`. */
export const SUBSCRIPTION_CHANNELS = ['metrics', 'rollups', 'alerts', 'anomalies'] as const;

/** Close code the client uses when it gives up on a connection itself (heartbeat or handshake timeout). */
export const CLIENT_CLOSE_CODES = { normal: 1000, timeout: 4000 } as const;

const OPEN = 1;

/**
 * The part of the WHATWG WebSocket the client uses: what browsers provide and what the `ws`
 * package's WebSocket class implements. Event parameters are loose on purpose, so that both
 * `globalThis.WebSocket` and `ws` type-check as a `WebSocketConstructor`.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /* eslint-disable @typescript-eslint/no-explicit-any */
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Failed connections in a row (the backoff exponent); starts over when a stable connection drops. */
  attempt: number;
  /** When `reconnecting`: the wait before the next attempt (ms), until that attempt starts. */
  retryInMs?: number;
  /** The last thing that went wrong (kept after a successful reconnect, as history). */
  lastError?: DoflamingoClientError;
}

export type StateListener = (status: ConnectionStatus) => void;

export interface DoflamingoClientOptions {
  /** The gateway's WebSocket endpoint, e.g. `wss://gateway.example/ws`. In a browser `/ws` (relative) and http(s) URLs work too. */
  url: string;
  /** API key; sent as the `access_token` query parameter (browsers cannot set headers on a WebSocket). */
  token?: string;
  /** Default `globalThis.WebSocket`. Node 20 has none: pass `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Default: 1 s initial, 30 s cap, stable after 10 s. */
  reconnect?: Partial<ReconnectOptions>;
  /** Time for the socket to open and the welcome frame to arrive (ms, default 10 000). */
  connectTimeoutMs?: number;
  /** Alerts kept per `alerts` subscription (default 1000); resolved ones are dropped first. */
  maxAlerts?: number;
  /** Clock (ms) for the heartbeat watchdog and connection stability. Default `Date.now`. */
  now?: () => number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * A client of the gateway's WebSocket protocol v1 (JSON) for browsers and Node. It reconnects
 * with backoff, resubscribes every live subscription under the same id after a reconnect, keeps
 * per-subscription stores (latest value per series for metrics, alerts by id), and watches the
 * gateway's heartbeat. Nothing happens until `connect()`.
 */
export class DoflamingoClient {
  private readonly url: string;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly reconnectOptions: ReconnectOptions;
  private readonly connectTimeoutMs: number;
  private readonly maxAlerts: number;
  private readonly now: () => number;
  private readonly random: () => number;

  private readonly subscriptions = new Map<string, ClientSubscription>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly errorListeners = new Set<ErrorListener>();
  private nextSubscription = 1;

  private socket: WebSocketLike | undefined;
  /** The welcome frame arrived on the current socket. */
  private welcomed = false;
  /** An error event seen on the current socket, read when it closes. */
  private socketError: { message: string; httpStatus?: number } | undefined;
  private stopped = true;
  private current: ConnectionStatus = { state: 'closed', attempt: 0 };
  private openedAt: number | undefined;
  private heartbeatMs: number | undefined;
  private lastReceivedAt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdogTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: DoflamingoClientOptions) {
    const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (typeof WebSocketImpl !== 'function') {
      throw new TypeError('no WebSocket implementation: in Node pass the `ws` package\'s WebSocket as the `WebSocket` option');
    }
    this.WebSocketImpl = WebSocketImpl;
    this.url = socketUrl(options.url, options.token);
    this.reconnectOptions = checkReconnectOptions({ ...DEFAULT_RECONNECT, ...options.reconnect });
    this.connectTimeoutMs = positive(options.connectTimeoutMs ?? 10_000, 'connectTimeoutMs');
    this.maxAlerts = positive(options.maxAlerts ?? 1000, 'maxAlerts');
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get status(): ConnectionStatus {
    return { ...this.current };
  }

  get state(): ConnectionState {
    return this.current.state;
  }

  get lastError(): DoflamingoClientError | undefined {
    return this.current.lastError;
  }

  /** Called on every change of state (and with each scheduled retry). Returns a function that removes the listener. */
  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Errors that belong to no subscription: server `error` frames without an id, frames the client
   * cannot read, callbacks that threw, subscription errors nobody listens to, and fatal
   * connection errors (4001 unauthorized…). Connection drops that are retried show in `onState`.
   */
  onError(listener: ErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Opens the connection (and keeps it open until `close()` or a fatal error). Idempotent. */
  connect(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.current = { ...this.current, attempt: 0, retryInMs: undefined };
    this.open('connecting');
    return this;
  }

  /** Closes the connection and stops reconnecting. Subscriptions stay; `connect()` sends them again. */
  close(): void {
    this.stopped = true;
    this.discardSocket(CLIENT_CLOSE_CODES.normal, 'client closed');
    this.clearTimers();
    for (const subscription of this.subscriptions.values()) subscription.disconnected();
    this.setStatus({ state: 'closed', retryInMs: undefined });
  }

  subscribe(request: SubscribeRequest<'metrics'>, handlers?: SubscriptionHandlers<ChannelItems['metrics']>): MetricsSubscription;
  subscribe(request: SubscribeRequest<'alerts'>, handlers?: SubscriptionHandlers<ChannelItems['alerts']>): AlertsSubscription;
  subscribe(request: SubscribeRequest<'rollups'>, handlers?: SubscriptionHandlers<ChannelItems['rollups']>): RollupsSubscription;
  subscribe(request: SubscribeRequest<'anomalies'>, handlers?: SubscriptionHandlers<ChannelItems['anomalies']>): AnomaliesSubscription;
  subscribe<C extends Channel>(request: SubscribeRequest<C>, handlers: SubscriptionHandlers<ChannelItems[C]> = {}): Subscription<C> {
    if (!(SUBSCRIPTION_CHANNELS as readonly string[]).includes(request.channel)) {
      throw new TypeError(`unknown channel ${JSON.stringify(request.channel)}: expected one of ${SUBSCRIPTION_CHANNELS.join(', ')}`);
    }
    const id = `s${this.nextSubscription++}`;
    const subscription = new ClientSubscription<C>(id, { ...request, labels: request.labels && { ...request.labels } }, handlers, { maxAlerts: this.maxAlerts }, {
      unsubscribe: (subscriptionId) => this.unsubscribe(subscriptionId),
      report: (error) => this.report(error),
    });
    this.subscriptions.set(id, subscription as unknown as ClientSubscription);
    if (this.welcomed) this.sendSubscribe(subscription as unknown as ClientSubscription);
    return subscription;
  }

  // ---- connection ----

  private open(state: 'connecting' | 'reconnecting'): void {
    this.reconnectTimer = undefined;
    this.welcomed = false;
    this.socketError = undefined;
    this.heartbeatMs = undefined;
    this.setStatus({ state, retryInMs: undefined });
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketImpl(this.url, JSON_SUBPROTOCOL);
    } catch (error) {
      // A URL the WebSocket refuses: trying again cannot help.
      return this.disconnected(new DoflamingoClientError('connect_failed', `cannot open a WebSocket: ${messageOf(error)}`, { cause: error, fatal: true }));
    }
    this.socket = socket;
    socket.onmessage = (event: { data: unknown }) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onerror = (event: { message?: unknown; error?: unknown }) => {
      if (this.socket !== socket) return;
      const message = typeof event?.message === 'string' ? event.message : event?.error instanceof Error ? event.error.message : 'WebSocket error';
      // `ws` reports a refused upgrade as "Unexpected server response: 401"; browsers say nothing.
      const status = /Unexpected server response: (\d{3})/.exec(message);
      this.socketError = { message, httpStatus: status ? Number(status[1]) : undefined };
    };
    socket.onclose = (event: { code?: number; reason?: string }) => {
      if (this.socket === socket) this.socketClosed(event?.code ?? 1005, event?.reason ?? '');
    };
    this.handshakeTimer = setTimeout(() => {
      this.handshakeTimer = undefined;
      this.abandon(new DoflamingoClientError('handshake_timeout', `no welcome frame within ${this.connectTimeoutMs} ms`));
    }, this.connectTimeoutMs);
  }

  private socketClosed(code: number, reason: string): void {
    const socketError = this.socketError;
    this.detach();
    const wasOpen = this.welcomed;
    const httpStatus = socketError?.httpStatus;
    const details = { closeCode: code, closeReason: reason || undefined, httpStatus };
    let error: DoflamingoClientError;
    if (code === GATEWAY_CLOSE_CODES.unauthorized || httpStatus === 401) {
      error = new DoflamingoClientError('unauthorized', `the gateway refused the API key${reason ? `: ${reason}` : ''}`, { ...details, fatal: true });
    } else if (httpStatus === 403) {
      error = new DoflamingoClientError('forbidden', 'the gateway refused the connection (HTTP 403: Origin not allowed)', { ...details, fatal: true });
    } else {
      const why = [`close code ${code}`, closeMeaning(code), reason, socketError?.message].filter(Boolean).join(', ');
      error = new DoflamingoClientError(wasOpen ? 'connection_lost' : 'connect_failed', wasOpen ? `connection lost (${why})` : `could not connect (${why})`, details);
    }
    this.disconnected(error);
  }

  /** The client gives up on the current socket itself (timeouts): no waiting for a close handshake. */
  private abandon(error: DoflamingoClientError): void {
    this.discardSocket(CLIENT_CLOSE_CODES.timeout, error.code);
    this.disconnected(error);
  }

  private disconnected(error: DoflamingoClientError): void {
    this.clearTimers();
    this.welcomed = false;
    for (const subscription of this.subscriptions.values()) subscription.disconnected();
    if (error.fatal) {
      this.stopped = true;
      this.openedAt = undefined;
      this.setStatus({ state: 'closed', retryInMs: undefined, lastError: error });
      this.report(error);
      return;
    }
    if (this.stopped) return this.setStatus({ state: 'closed', retryInMs: undefined, lastError: error });
    let attempt = this.current.attempt;
    if (this.openedAt !== undefined && this.now() - this.openedAt >= this.reconnectOptions.stableAfterMs) attempt = 0;
    this.openedAt = undefined;
    const delay = reconnectDelay(attempt, this.reconnectOptions, this.random);
    this.reconnectTimer = setTimeout(() => this.open('reconnecting'), delay);
    this.setStatus({ state: 'reconnecting', attempt: attempt + 1, retryInMs: delay, lastError: error });
  }

  /** Stops listening to the current socket and closes it (ws: terminates it). */
  private discardSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.detach();
    if (!socket) return;
    try {
      const terminate = (socket as { terminate?: () => void }).terminate;
      if (typeof terminate === 'function') terminate.call(socket);
      else socket.close(code, reason);
    } catch {
      // Already closing or closed: nothing left to do.
    }
  }

  private detach(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onopen = null;
    // Not null: `ws` throws an 'error' nobody listens to (e.g. terminating a socket still connecting).
    socket.onerror = ignore;
  }

  private clearTimers(): void {
    for (const timer of [this.reconnectTimer, this.handshakeTimer, this.watchdogTimer]) if (timer !== undefined) clearTimeout(timer);
    this.reconnectTimer = this.handshakeTimer = this.watchdogTimer = undefined;
  }

  /** If nothing at all (heartbeat or data) arrives for 2.5 heartbeat intervals, the connection is dead. */
  private armWatchdog(heartbeatMs: number): void {
    const limit = heartbeatMs * 2.5;
    const check = () => {
      const idle = this.now() - this.lastReceivedAt;
      if (idle >= limit) {
        this.watchdogTimer = undefined;
        return this.abandon(new DoflamingoClientError('heartbeat_timeout', `nothing received for ${idle} ms (heartbeat every ${heartbeatMs} ms)`));
      }
      this.watchdogTimer = setTimeout(check, limit - idle);
    };
    this.watchdogTimer = setTimeout(check, limit);
  }

  // ---- frames ----

  private receive(data: unknown): void {
    this.lastReceivedAt = this.now();
    if (typeof data !== 'string') return this.badFrame('a binary frame (protocol v1 frames are JSON text)');
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch (error) {
      return this.badFrame(`not JSON: ${messageOf(error)}`);
    }
    if (typeof frame !== 'object' || frame === null || typeof frame.type !== 'string') return this.badFrame('a frame without a type');
    switch (frame.type) {
      case 'welcome':
        return this.welcome(frame);
      case 'heartbeat':
      case 'pong':
      case 'unsubscribed':
        return;
      case 'error':
        return this.serverError(frame);
      case 'subscribed':
        return this.subscription(frame.id)?.confirmed();
      case 'snapshot':
      case 'update': {
        if (!Array.isArray(frame.samples)) return this.badFrame(`${frame.type} without samples`);
        const subscription = this.subscription(frame.id);
        if (frame.type === 'snapshot') subscription?.snapshot(frame.samples);
        else subscription?.update(frame.samples);
        return;
      }
      case 'rollup':
        if (!Array.isArray(frame.windows)) return this.badFrame('rollup without windows');
        return this.subscription(frame.id)?.rollups(frame.windows);
      case 'alerts':
        if (!Array.isArray(frame.alerts)) return this.badFrame('alerts without alerts');
        return this.subscription(frame.id)?.alerts(frame.alerts);
      case 'anomalies':
        if (!Array.isArray(frame.anomalies)) return this.badFrame('anomalies without anomalies');
        return this.subscription(frame.id)?.anomalies(frame.anomalies);
      default:
        return; // a frame type from a newer gateway: ignored
    }
  }

  private welcome(frame: Extract<ServerFrame, { type: 'welcome' }>): void {
    if (frame.protocol !== PROTOCOL_VERSION) {
      const error = new DoflamingoClientError('protocol_mismatch', `the gateway speaks protocol ${JSON.stringify(frame.protocol)}, this client ${PROTOCOL_VERSION}`, { fatal: true });
      this.discardSocket(CLIENT_CLOSE_CODES.normal, 'protocol mismatch');
      return this.disconnected(error);
    }
    if (this.welcomed) return;
    if (this.handshakeTimer !== undefined) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
    this.welcomed = true;
    this.openedAt = this.now();
    if (typeof frame.heartbeatMs === 'number' && frame.heartbeatMs > 0) {
      this.heartbeatMs = frame.heartbeatMs;
      this.armWatchdog(frame.heartbeatMs);
    } else {
      this.badFrame(`welcome with heartbeatMs ${JSON.stringify(frame.heartbeatMs)}: no heartbeat watchdog on this connection`);
    }
    this.setStatus({ state: 'open', retryInMs: undefined });
    for (const subscription of [...this.subscriptions.values()]) {
      if (!this.welcomed) return; // a state listener closed the client
      this.sendSubscribe(subscription);
    }
  }

  private serverError(frame: Extract<ServerFrame, { type: 'error' }>): void {
    const subscription = frame.id === undefined ? undefined : this.subscriptions.get(frame.id);
    const error = new DoflamingoClientError(frame.code, String(frame.message), { subscriptionId: frame.id });
    if (!subscription) return this.report(error);
    if (subscription.state === 'pending') {
      // A refused subscribe (bad pattern, too many, bad frame…): it does not exist on the gateway.
      this.subscriptions.delete(subscription.id);
      return subscription.rejected(error);
    }
    subscription.fail(error);
  }

  private subscription(id: unknown): ClientSubscription | undefined {
    return typeof id === 'string' ? this.subscriptions.get(id) : undefined;
  }

  private sendSubscribe(subscription: ClientSubscription): void {
    const { channel, cluster, metric, labels, resolution } = subscription.request;
    const frame: SubscribeFrame = { op: 'subscribe', id: subscription.id, channel };
    if (cluster !== undefined) frame.cluster = cluster;
    if (metric !== undefined) frame.metric = metric;
    if (labels !== undefined) frame.labels = labels;
    if (resolution !== undefined) frame.resolution = resolution;
    subscription.sent();
    this.send(frame);
  }

  private unsubscribe(id: string): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return;
    this.subscriptions.delete(id);
    subscription.closed();
    if (this.welcomed) this.send({ op: 'unsubscribe', id });
  }

  private send(frame: ClientFrame): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) return; // sent again after the reconnect
    socket.send(JSON.stringify(frame));
  }

  private badFrame(what: string): void {
    this.report(new DoflamingoClientError('bad_server_frame', `the gateway sent ${what}`));
  }

  private report(error: DoflamingoClientError): void {
    if (this.errorListeners.size === 0) {
      // Nobody listens: say it somewhere rather than nowhere.
      console.error(`[doflamingo client] ${error.code}: ${error.message}`);
      return;
    }
    for (const listener of [...this.errorListeners]) {
      try {
        listener(error);
      } catch {
        // An error listener that throws has nowhere else to report to.
      }
    }
  }

  /** Listeners hear of every change of state, attempt, retry delay or last error. */
  private setStatus(change: Partial<ConnectionStatus>): void {
    const next: ConnectionStatus = { ...this.current, ...change };
    if (next.retryInMs === undefined) delete next.retryInMs;
    if (next.lastError === undefined) delete next.lastError;
    const changed = next.state !== this.current.state || next.attempt !== this.current.attempt || next.retryInMs !== this.current.retryInMs || next.lastError !== this.current.lastError;
    this.current = next;
    if (!changed) return;
    for (const listener of [...this.stateListeners]) {
      try {
        listener({ ...next });
      } catch (thrown) {
        this.report(new DoflamingoClientError('handler_failed', `a state listener threw: ${messageOf(thrown)}`, { cause: thrown }));
      }
    }
  }
}

/** ws(s) URL with the token as `access_token`; http(s) and (in a browser) relative URLs are mapped to ws(s). */
export function socketUrl(url: string, token?: string): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let parsed: URL;
  try {
    parsed = base ? new URL(url, base) : new URL(url);
  } catch {
    throw new TypeError(`not a WebSocket URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError(`not a WebSocket URL: ${JSON.stringify(url)}`);
  if (token !== undefined && token !== '') parsed.searchParams.set('access_token', token);
  return parsed.toString();
}

function closeMeaning(code: number): string | undefined {
  switch (code) {
    case GATEWAY_CLOSE_CODES.tooSlow:
      return 'the gateway cut off a client that read too slowly';
    case GATEWAY_CLOSE_CODES.goingAway:
      return 'the gateway is going away';
    case 1006:
      return 'abnormal closure';
    default:
      return undefined;
  }
}

function ignore(): void {
  // deliberately empty
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
