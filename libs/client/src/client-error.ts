import type { ErrorCode } from '@doflamingo/contracts';

/**
 * What went wrong, for people and for code. Server `error` frames keep the server's code
 * (`bad_pattern`, `too_many_subscriptions`…); the rest are the client's own.
 */
export type ClientErrorCode =
  | ErrorCode
  /** Closed with 4001, or the upgrade was refused with HTTP 401 (the latter is only visible in Node). */
  | 'unauthorized'
  /** The upgrade was refused with HTTP 403 (Origin not allowed; only visible in Node). */
  | 'forbidden'
  /** The connection could not be opened, or closed before the welcome frame. */
  | 'connect_failed'
  /** An open connection closed (network, gateway restart, 4008 too slow, 1001 going away…). */
  | 'connection_lost'
  /** No welcome frame within `connectTimeoutMs`. */
  | 'handshake_timeout'
  /** Nothing received for 2.5 heartbeat intervals. */
  | 'heartbeat_timeout'
  /** The gateway speaks another protocol version. */
  | 'protocol_mismatch'
  /** A frame that is not JSON or not shaped like protocol v1. */
  | 'bad_server_frame'
  /** One of your callbacks threw. */
  | 'handler_failed';

export interface ClientErrorDetails {
  /** The subscription it concerns, when there is one. */
  subscriptionId?: string;
  /** WebSocket close code and reason, when a close caused it. */
  closeCode?: number;
  closeReason?: string;
  /** HTTP status of a refused upgrade (Node with `ws` only; browsers do not expose it). */
  httpStatus?: number;
  /** True when the client gave up: it will not reconnect by itself. */
  fatal?: boolean;
  cause?: unknown;
}

export class DoflamingoClientError extends Error {
  override readonly name = 'DoflamingoClientError';
  readonly subscriptionId?: string;
  readonly closeCode?: number;
  readonly closeReason?: string;
  readonly httpStatus?: number;
  readonly fatal: boolean;

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    details: ClientErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.subscriptionId = details.subscriptionId;
    this.closeCode = details.closeCode;
    this.closeReason = details.closeReason;
    this.httpStatus = details.httpStatus;
    this.fatal = details.fatal ?? false;
  }
}
