import type { Socket } from 'node:net';
import { Client, createClient, CreateMode, Exception, State } from 'node-zookeeper-client';
import { TimeoutError, withTimeout } from '@doflamingo/runtime';

/**
 * node-zookeeper-client has no read timeout: a client on a hung server (long GC, SIGSTOP) stays
 * "connected", or "connecting", for ever. A client that did not connect within the deadline, or
 * whose calls ran out of time this many times in a row, is given up, and a new one connects (to a
 * server picked at random). Losing the session costs little: the agent keeps no watches, and its
 * probe znode is recreated anyway.
 */
const STUCK_AFTER_TIMEOUTS = 3;

export interface SessionOptions {
  servers: readonly string[];
  digest?: { username: string; password: string };
  /** Deadline of every call, connecting included. */
  timeoutMs: number;
  sessionTimeoutMs?: number;
}

/** A ZooKeeper error answer, as an Error with its code (so callers can tell NODE_EXISTS from NO_NODE). */
export class ZookeeperError extends Error {
  readonly code: number;
  constructor(what: string, cause: Exception) {
    super(`ZooKeeper ${what}: ${cause.getName()}`);
    this.name = 'ZookeeperError';
    this.code = cause.getCode();
  }
}

/** The ZooKeeper error code (Exception.NO_NODE, NODE_EXISTS…) of a failed call, if it was a ZooKeeper answer. */
export function zookeeperErrorCode(error: unknown): number | undefined {
  if (error instanceof ZookeeperError) return error.code;
  return error instanceof Exception ? error.getCode() : undefined;
}

/**
 * One ZooKeeper session, kept across collections: a monitoring agent should not churn sessions on
 * the leader. While merely disconnected, the client reconnects by itself to another server and
 * keeps the session; a session that expired, failed authentication or is stuck on a hung server is
 * replaced on the next call. Every call has a deadline.
 */
export class ZookeeperSession {
  private client?: Client;
  private dead = false;
  private timeoutsInARow = 0;

  constructor(private readonly options: SessionOptions) {}

  /** The connected client, connecting (or replacing a dead or stuck one) first when needed. */
  async connected(): Promise<Client> {
    if (!this.client || this.dead || this.timeoutsInARow >= STUCK_AFTER_TIMEOUTS) this.replaceClient();
    const client = this.client!;
    if (client.getState() === State.SYNC_CONNECTED) return client;
    try {
      await this.waitFor(client, 'connected', `ZooKeeper session to ${this.options.servers.join(',')}`);
    } catch (error) {
      if (client === this.client) this.dead = true;
      throw error;
    }
    return client;
  }

  async getChildren(path: string): Promise<string[] | undefined> {
    const client = await this.connected();
    return this.call(client, `getChildren ${path}`, (done) => client.getChildren(path, (error, children) => done(error, children)), true);
  }

  async getData(path: string): Promise<Buffer | undefined> {
    const client = await this.connected();
    return this.call(client, `getData ${path}`, (done) => client.getData(path, (error, data) => done(error, data ?? Buffer.alloc(0))), true);
  }

  async create(path: string, data: Buffer, mode: number = CreateMode.PERSISTENT): Promise<void> {
    const client = await this.connected();
    await this.call(client, `create ${path}`, (done) => client.create(path, data, mode, (error) => done(error, undefined)));
  }

  async remove(path: string): Promise<void> {
    const client = await this.connected();
    await this.call(client, `remove ${path}`, (done) => client.remove(path, -1, (error) => done(error, undefined)));
  }

  /** Ends the session; when connected, cleanly, so its ephemeral znodes go at once rather than at expiry. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await this.shutDown(client);
  }

  private replaceClient(): void {
    if (this.client) void this.shutDown(this.client);
    this.timeoutsInARow = 0;
    this.dead = false;
    const client = createClient(this.options.servers.join(','), { sessionTimeout: this.options.sessionTimeoutMs ?? 30000, spinDelay: 500, retries: 0 });
    const { digest } = this.options;
    if (digest) client.addAuthInfo('digest', Buffer.from(`${digest.username}:${digest.password}`));
    client.on('expired', () => (this.dead = true));
    client.on('authenticationFailed', () => (this.dead = true));
    client.connect();
    this.client = client;
  }

  private async shutDown(client: Client): Promise<void> {
    if (client.getState() === State.SYNC_CONNECTED) {
      const closed = this.waitFor(client, 'disconnected', 'ZooKeeper session close').catch(() => undefined);
      client.close();
      await closed;
    }
    silence(client);
  }

  private waitFor(client: Client, event: 'connected' | 'disconnected', what: string): Promise<void> {
    let listener!: () => void;
    const happened = new Promise<void>((resolve) => {
      listener = resolve;
      client.once(event, listener);
    });
    return withTimeout(happened, this.options.timeoutMs, what).finally(() => client.removeListener(event, listener));
  }

  /**
   * Promisifies one call with the deadline, counting deadlines missed in a row by the current client;
   * with `absentIsUndefined`, NO_NODE resolves to undefined.
   */
  private call<T>(client: Client, what: string, run: (done: (error: Error | Exception | null, value: T) => void) => void, absentIsUndefined = false): Promise<T | undefined> {
    const result = new Promise<T | undefined>((resolve, reject) => {
      run((error, value) => {
        if (!error) resolve(value);
        else if (absentIsUndefined && zookeeperErrorCode(error) === Exception.NO_NODE) resolve(undefined);
        else reject(error instanceof Exception ? new ZookeeperError(what, error) : error);
      });
    });
    return withTimeout(result, this.options.timeoutMs, `ZooKeeper ${what}`).then(
      (value) => {
        if (client === this.client) this.timeoutsInARow = 0;
        return value;
      },
      (error: unknown) => {
        if (error instanceof TimeoutError && client === this.client) this.timeoutsInARow++;
        throw error;
      },
    );
  }
}

interface ConnectionManagerInternals {
  socket?: Socket;
  connect(): void;
  onSocketConnected(): void;
  onSocketData(buffer: Buffer): void;
}

/**
 * Stops a client for good, whatever its state. The library offers only close(), which queues a
 * close request: a client that is not connected then keeps reconnecting, and if a server answers
 * its pending connect request after close() the library misreads the answer and throws an uncaught
 * exception (seen on the devstack: "Unknown code" from a resumed server), which would take the
 * agent down. So its connection manager (an internal) is made inert and its socket destroyed.
 */
function silence(client: Client): void {
  const manager = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  if (manager) {
    const inert = () => undefined;
    manager.connect = inert;
    manager.onSocketConnected = inert;
    manager.onSocketData = inert;
    manager.socket?.destroy();
  }
  client.removeAllListeners();
}
