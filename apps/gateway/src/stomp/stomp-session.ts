import { FrameImpl, IRawFrameType, Parser, StompHeaders } from '@stomp/stompjs';
import { AlertEvent, AnomalyEvent, LiveSample, RollupEvent } from '@doflamingo/contracts';
import { ActiveSubscription, ClientSession, SessionLimits, SessionSocket } from '../websocket/client-session';
import { SubscriptionHub } from '../websocket/subscription-hub';
import { BadDestinationError, parseDestination } from './stomp-destinations';

export interface StompSessionOptions extends SessionLimits {
  heartbeatMs: number;
  maxFrameBytes: number;
}

const SUPPORTED_VERSIONS = ['1.2', '1.1', '1.0'];

/**
 * A connection speaking STOMP (1.2, also 1.1/1.0) over WebSocket, as Flamingo's front end does.
 * Frames are parsed and written with @stomp/stompjs's own Parser and FrameImpl, the framing code
 * its client is tested with. The gateway is read-only: CONNECT, SUBSCRIBE, UNSUBSCRIBE,
 * DISCONNECT and receipts; a bad frame gets an ERROR frame and, as the STOMP spec requires, the
 * connection is then closed.
 */
export class StompSession extends ClientSession {
  private readonly parser: Parser;
  private connected = false;
  private version = '1.2';
  private messageId = 0;

  constructor(
    socket: SessionSocket,
    private readonly options: StompSessionOptions,
    private readonly hub: SubscriptionHub,
    remote: string,
  ) {
    super(socket, options, remote);
    this.parser = new Parser(
      (raw) => this.onFrame(raw),
      () => undefined, // client heart-beats: nothing to do, the socket being alive is enough
    );
  }

  receive(data: Buffer | string): void {
    const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    if (size > this.options.maxFrameBytes) return this.fail(`frame of ${size} bytes is over the limit of ${this.options.maxFrameBytes}`);
    const chunk = typeof data === 'string' ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    try {
      this.parser.parseChunk(chunk as string | ArrayBuffer);
    } catch (error) {
      this.fail(`malformed STOMP frame: ${(error as Error).message}`);
    }
  }

  heartbeat(): void {
    if (this.connected) this.sendRaw('\n'); // a STOMP heart-beat is an EOL
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
  }

  protected deliverSamples(subscription: ActiveSubscription, kind: 'snapshot' | 'update', samples: LiveSample[]): void {
    this.message(subscription, { type: kind, samples });
  }

  protected deliverRollups(subscription: ActiveSubscription, windows: RollupEvent[]): void {
    this.message(subscription, { type: 'rollup', windows });
  }

  protected deliverAlerts(subscription: ActiveSubscription, alerts: AlertEvent[]): void {
    this.message(subscription, { type: 'alerts', alerts });
  }

  protected deliverAnomalies(subscription: ActiveSubscription, anomalies: AnomalyEvent[]): void {
    this.message(subscription, { type: 'anomalies', anomalies });
  }


  private onFrame(raw: IRawFrameType): void {
    if (this.closed) return;
    const frame = FrameImpl.fromRawFrame(raw, this.version !== '1.0');
    const headers = frame.headers;
    if (!this.connected && frame.command !== 'CONNECT' && frame.command !== 'STOMP') return this.fail(`expected CONNECT first, got ${frame.command}`);
    switch (frame.command) {
      case 'CONNECT':
      case 'STOMP':
        return this.connect(headers);
      case 'SUBSCRIBE':
        return this.subscribe(headers);
      case 'UNSUBSCRIBE':
        return this.unsubscribe(headers);
      case 'DISCONNECT':
        this.receipt(headers);
        return this.close(1000, 'DISCONNECT');
      case 'SEND':
      case 'BEGIN':
      case 'COMMIT':
      case 'ABORT':
      case 'ACK':
      case 'NACK':
        return this.fail(`${frame.command} is not supported: this gateway only publishes (SUBSCRIBE to a destination instead)`, headers);
      default:
        return this.fail(`unknown command ${JSON.stringify(frame.command)}`, headers);
    }
  }

  private connect(headers: StompHeaders): void {
    const offered = (headers['accept-version'] ?? '1.0').split(',').map((v) => v.trim());
    const version = SUPPORTED_VERSIONS.find((v) => offered.includes(v));
    if (!version) return this.fail(`no supported STOMP version in accept-version ${JSON.stringify(headers['accept-version'])}: this server speaks ${SUPPORTED_VERSIONS.join(', ')}`);
    this.version = version;
    this.connected = true;
    this.write('CONNECTED', { version, 'heart-beat': `${this.options.heartbeatMs},0`, server: 'doflamingo-gateway/1' });
  }

  private subscribe(headers: StompHeaders): void {
    const id = headers.id;
    const destination = headers.destination;
    if (!id || !destination) return this.fail('SUBSCRIBE needs id and destination headers', headers);
    if (this.subscriptions.has(id)) return this.fail(`subscription id ${JSON.stringify(id)} is already in use`, headers);
    if (this.subscriptions.size >= this.options.maxSubscriptions) return this.fail(`at most ${this.options.maxSubscriptions} subscriptions per connection`, headers);
    let target;
    try {
      target = parseDestination(destination, headers.labels);
    } catch (error) {
      if (error instanceof BadDestinationError) return this.fail(error.message, headers);
      throw error;
    }
    const subscription: ActiveSubscription & { destination: string } = { id, ...target, pending: new Map(), destination };
    this.subscriptions.set(id, subscription);
    this.receipt(headers);
    const snapshot = this.hub.subscribed(this, subscription);
    if (target.channel === 'alerts') this.deliverAlerts(subscription, snapshot as AlertEvent[]);
    else if (target.channel === 'anomalies') this.deliverAnomalies(subscription, snapshot as AnomalyEvent[]);
    else if (target.channel === 'metrics') this.deliverSamples(subscription, 'snapshot', snapshot as LiveSample[]);
  }

  private unsubscribe(headers: StompHeaders): void {
    const subscription = headers.id ? this.subscriptions.get(headers.id) : undefined;
    if (!subscription) return this.fail(`no subscription with id ${JSON.stringify(headers.id ?? null)}`, headers);
    this.subscriptions.delete(subscription.id);
    this.hub.unsubscribed(this, subscription);
    this.receipt(headers);
  }

  private message(subscription: ActiveSubscription, body: object): void {
    const destination = (subscription as ActiveSubscription & { destination: string }).destination;
    this.write(
      'MESSAGE',
      { subscription: subscription.id, 'message-id': String(++this.messageId), destination, 'content-type': 'application/json' },
      JSON.stringify(body),
    );
  }

  private receipt(headers: StompHeaders): void {
    if (headers.receipt) this.write('RECEIPT', { 'receipt-id': headers.receipt });
  }

  private fail(message: string, headers: StompHeaders = {}): void {
    const errorHeaders: StompHeaders = { message, 'content-type': 'text/plain' };
    if (headers.receipt) errorHeaders['receipt-id'] = headers.receipt;
    this.write('ERROR', errorHeaders, message);
    this.close(1002, message.slice(0, 120));
  }

  private write(command: string, headers: StompHeaders, body = ''): void {
    const data = FrameImpl.marshall({ command, headers, body, escapeHeaderValues: this.version !== '1.0', skipContentLengthHeader: false });
    this.sendRaw(data as string);
  }
}
