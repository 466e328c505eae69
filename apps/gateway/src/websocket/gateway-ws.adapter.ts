import { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { IncomingMessage } from 'node:http';
import { GatewaySettings } from '@doflamingo/config';
import { WS_JSON_SUBPROTOCOL, WS_STOMP_SUBPROTOCOLS } from '@doflamingo/contracts';
import { checkKey, originAllowed, presentedKey } from '../auth/api-key';

type VerifyCallback = (result: boolean, code?: number, message?: string) => void;

/**
 * Nest's `ws` adapter with the gateway's rules applied at the HTTP upgrade, before a socket
 * exists: API key (401), Origin allow-list (403), connection cap (503), subprotocol choice
 * (Doflamingo JSON, or STOMP for Flamingo), and a hard frame-size ceiling.
 */
export class GatewayWsAdapter extends WsAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly settings: GatewaySettings,
    private readonly connections: () => number,
  ) {
    super(app);
  }

  override create(port: number, options: Record<string, unknown> = {}) {
    return super.create(port, {
      ...options,
      // Frames over maxFrameBytes get an error frame from the session; only far bigger ones are cut off by ws (1009).
      maxPayload: this.settings.maxFrameBytes * 16,
      verifyClient: (info: { origin?: string; req: IncomingMessage }, done: VerifyCallback) => this.verify(info, done),
      handleProtocols: (protocols: Set<string>) => chooseSubprotocol(protocols),
    });
  }

  private verify({ origin, req }: { origin?: string; req: IncomingMessage }, done: VerifyCallback): void {
    const verdict = checkKey(this.settings, presentedKey(req.headers, req.url));
    if (!verdict.ok) return done(false, 401, verdict.reason === 'missing' ? 'API key required' : 'API key not valid');
    if (!originAllowed(this.settings, origin || undefined)) return done(false, 403, 'Origin not allowed');
    if (this.connections() >= this.settings.maxConnections) return done(false, 503, 'Too many connections');
    done(true);
  }
}

/** JSON when asked for (or nothing asked), else the newest STOMP version offered; none we speak → refuse. */
export function chooseSubprotocol(offered: Set<string>): string | false {
  if (offered.size === 0) return false; // ws then accepts without a subprotocol: JSON
  if (offered.has(WS_JSON_SUBPROTOCOL)) return WS_JSON_SUBPROTOCOL;
  return WS_STOMP_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false;
}
