import { Inject } from '@nestjs/common';
import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { AppConfig, APP_CONFIG } from '@doflamingo/config';
import { WS_PATH } from '@doflamingo/contracts';
import { InjectPinoLogger, PinoLogger } from '@doflamingo/logging';
import { StompSession } from '../stomp/stomp-session';
import { ClientSession } from './client-session';
import { JsonSession } from './json-session';
import { SubscriptionHub } from './subscription-hub';

/** The WebSocket endpoint: one session per connection, JSON or STOMP by negotiated subprotocol. */
@WebSocketGateway({ path: WS_PATH })
export class LiveGateway implements OnGatewayConnection {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly hub: SubscriptionHub,
    @InjectPinoLogger(LiveGateway.name) private readonly logger: PinoLogger,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const settings = this.config.gateway;
    const options = {
      maxSubscriptions: settings.maxSubscriptionsPerConnection,
      bufferMaxBytes: settings.clientBufferMaxBytes,
      slowGraceMs: settings.slowClientGraceMs,
      maxFrameBytes: settings.maxFrameBytes,
      heartbeatMs: settings.heartbeatMs,
    };
    const remote = `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`;
    const stomp = socket.protocol.endsWith('.stomp');
    const session: ClientSession & { receive(data: Buffer | string): void } = stomp
      ? new StompSession(socket, options, this.hub, remote)
      : new JsonSession(socket, options, this.hub, remote);
    this.hub.add(session);
    this.logger.debug({ remote, protocol: socket.protocol || 'json' }, 'client connected');
    socket.on('message', (data: Buffer) => session.receive(data));
    socket.on('close', () => {
      this.hub.remove(session);
      session.closed = true;
      if (session.cutOff) this.logger.warn({ remote, reason: session.cutOff, skippedFlushes: session.skippedFlushes }, 'slow client disconnected');
    });
    socket.on('error', (error) => this.logger.debug({ remote, err: error.message }, 'client socket error'));
  }
}
